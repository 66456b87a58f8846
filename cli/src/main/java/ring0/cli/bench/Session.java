package ring0.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import ring0.kernel.Kernel;

/**
 * Everything one benchmark command runs in: a workspace, the program built
 * and verified once, and a kernel rooted at the workspace for the
 * {@code ring0} gate (and one without fast paths for {@code ring0-upcall}). Closing it shuts the kernel down and deletes the
 * workspace.
 */
final class Session implements AutoCloseable {
    /** How long one run of a program may take on any gate. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    private final Workspace workspace;
    private final Path sources;
    private final BenchProgram program;
    private Kernel kernel, upcallKernel;

    private Session(Workspace workspace, Path sources, BenchProgram program) {
        this.workspace = workspace;
        this.sources = sources;
        this.program = program;
    }

    /**
     * Creates the workspace in {@code parent} (or the temporary directory) and
     * builds {@code name} from {@code sources} (or the located {@code bench/}).
     */
    static Session open(String name, Path sources, Path parent) throws BenchException {
        Path dir = BenchProgram.sourceDir(sources);
        Workspace ws = Workspace.create(parent);
        try {
            return new Session(ws, dir, BenchProgram.build(dir, name, ws.dir()));
        } catch (BenchException e) {
            ws.close();
            throw e;
        }
    }

    /** The workspace. */
    Workspace workspace() { return workspace; }

    /** The program. */
    BenchProgram program() { return program; }

    /**
     * Builds another program from the same sources into the workspace, e.g. a
     * child that the program spawns (every gate finds it there).
     *
     * @throws BenchException as {@link BenchProgram#build} does
     */
    BenchProgram build(String name) throws BenchException {
        return BenchProgram.build(sources, name, workspace.dir());
    }

    /** A runner for each gate, in the given order; the kernel is started on first need. */
    List<Runner> runners(List<Gate> gates) throws BenchException {
        List<Runner> r = new ArrayList<>();
        for (Gate g : gates) {
            r.add(switch (g) {
                case INT80, SYSCALL -> new NativeRunner(g, program.exe(), RUN_TIMEOUT);
                case RING0, RING0_UPCALL -> new KernelRunner(g, kernel(g), program.elf(), program.name(), workspace.dir(),
                        RUN_TIMEOUT);
            });
        }
        return r;
    }

    /** The kernel for {@code g}: one with the native fast paths, one without (made on first need). */
    private Kernel kernel(Gate g) throws BenchException {
        boolean fast = g == Gate.RING0;
        if (fast ? kernel == null : upcallKernel == null) {
            Kernel k;
            try {
                k = new Kernel(workspace.dir(), Kernel.Options.defaults().withFastPath(fast));
            } catch (IOException e) {
                throw new BenchException("cannot start the kernel on " + workspace.dir() + ": " + e.getMessage());
            }
            if (fast) kernel = k;
            else upcallKernel = k;
        }
        return fast ? kernel : upcallKernel;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (kernel != null) kernel.close();
        } finally {
            try {
                if (upcallKernel != null) upcallKernel.close();
            } finally {
                workspace.close();
            }
        }
    }
}
