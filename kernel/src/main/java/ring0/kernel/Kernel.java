package ring0.kernel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import ring0.elf.ElfImage;
import ring0.elf.ElfReader;
import ring0.elf.MalformedElfException;
import ring0.kernel.fs.Errno;
import ring0.kernel.fs.FdTable;
import ring0.kernel.fs.ProgramFile;
import ring0.kernel.fs.PageCache;
import ring0.kernel.fs.StdStreams;
import ring0.kernel.fs.Vfs;
import ring0.kernel.load.LoadException;
import ring0.kernel.load.ProgramImage;
import ring0.kernel.load.Trampoline;
import ring0.kernel.proc.Process;
import ring0.kernel.proc.ProcessTable;
import ring0.kernel.sys.Call;
import ring0.kernel.sys.Syscalls;
import ring0.verify.Checker;
import ring0.verify.IllTyped;

/**
 * The ring0 kernel: runs verified programs in kernel mode, inside this JVM,
 * each on its own platform thread, with system calls as direct calls through
 * trusted trampolines (docs/kernel.md).
 *
 * <pre>
 *   try (Kernel k = new Kernel(Path.of("root"), Kernel.Options.defaults())) {
 *       Exit e = k.run(Files.readAllBytes(prog), "prog", List.of("arg1"));
 *       if (e.message() != null) System.err.println("ring0: " + e);
 *       System.exit(e.status());
 *   }
 * </pre>
 *
 * <p>Locking: thread-safe; any number of processes may be started and killed
 * from any thread.
 */
public final class Kernel implements AutoCloseable {
    /**
     * How the kernel runs programs.
     *
     * @param unverified  run programs the checker rejects anyway, after a loud warning (never the default)
     * @param limits      each process's stack, memory quota and time limit
     * @param std         the standard streams processes get by default
     * @param diagnostics where the kernel's own warnings go (the unverified warning)
     * @param fastPath    serve getpid and getppid natively (false: through the upcall, for measuring)
     * @param pageCache   bytes of page cache
     * @param maxProcesses how many processes may be live at once
     */
    public record Options(boolean unverified, Limits limits, StdStreams std, PrintStream diagnostics,
                          boolean fastPath, long pageCache, int maxProcesses) {
        public Options {
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(std, "std");
            Objects.requireNonNull(diagnostics, "diagnostics");
            if (maxProcesses < 1) throw new IllegalArgumentException("maxProcesses " + maxProcesses);
        }

        /** Verified programs only, default limits, the JVM's standard streams, fast paths on, 256 MiB of cache. */
        public static Options defaults() {
            return new Options(false, Limits.DEFAULT, StdStreams.system(), System.err, true, PageCache.DEFAULT_CAPACITY,
                    ProcessTable.DEFAULT_CAPACITY);
        }

        /** With or without {@code --unverified}. */
        public Options withUnverified(boolean on) { return new Options(on, limits, std, diagnostics, fastPath, pageCache, maxProcesses); }

        /** With other limits. */
        public Options withLimits(Limits l) { return new Options(unverified, l, std, diagnostics, fastPath, pageCache, maxProcesses); }

        /** With other standard streams. */
        public Options withStd(StdStreams s) { return new Options(unverified, limits, s, diagnostics, fastPath, pageCache, maxProcesses); }

        /** With another stream for the kernel's warnings. */
        public Options withDiagnostics(PrintStream d) { return new Options(unverified, limits, std, d, fastPath, pageCache, maxProcesses); }

        /** With another process table capacity. */
        public Options withMaxProcesses(int n) { return new Options(unverified, limits, std, diagnostics, fastPath, pageCache, n); }

        /** With the native getpid/getppid on or off. */
        public Options withFastPath(boolean on) { return new Options(unverified, limits, std, diagnostics, on, pageCache, maxProcesses); }
    }

    private final Options options;
    private final PageCache cache;
    private final Vfs vfs;
    private final ProcessTable table;

    /**
     * A kernel whose file system is the host directory {@code root}.
     *
     * @throws IOException if {@code root} is not an accessible directory
     */
    public Kernel(Path root, Options options) throws IOException {
        this.options = Objects.requireNonNull(options, "options");
        this.cache = new PageCache(options.pageCache());
        this.vfs = new Vfs(root, cache);
        this.table = new ProcessTable(options.maxProcesses(), this::spawn);
    }

    /**
     * Verifies, loads and runs {@code elf} to its end. Argument 0 is
     * {@code name}, then {@code args}. Never throws for anything the program
     * or its file can cause: a file that is malformed, ill-typed or cannot be
     * loaded gives status 126 with the reason as the message.
     */
    public Exit run(byte[] elf, String name, List<String> args) throws InterruptedException {
        try {
            return start(elf, name, args, options.std()).waitFor();
        } catch (Refused e) {
            return e.exit();
        }
    }

    /**
     * The kernel would not run a program: it is malformed, ill-typed (and
     * unverified mode is off), or cannot be loaded. {@link #exit()} has status
     * 126 and the reason; for an ill-typed program the cause is the checker's
     * {@link IllTyped}.
     */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Exit exit;

        Refused(String message, Exception cause) {
            super(message, cause, false, false);
            this.exit = Exit.forced(Exit.How.NOT_RUN, message);
        }

        /** The exit record for the program that did not run. */
        public Exit exit() { return exit; }
    }

    /**
     * Verifies, loads and starts {@code elf} as a new process with standard
     * streams {@code std}, and returns at once.
     *
     * @throws Refused if the file is malformed, the checker rejects it (unless unverified mode is
     *                  on and the file is at least a well-formed ring0 executable), or it cannot be loaded
     */
    public Job start(byte[] elf, String name, List<String> args, StdStreams std) throws Refused {
        ElfImage image;
        String unverified = null;
        try {
            image = Checker.check(elf, name).image();
        } catch (IllTyped e) {
            if (!options.unverified()) throw new Refused(e.getMessage(), e);
            try {
                image = ElfReader.read(elf);
            } catch (MalformedElfException malformed) {
                throw new Refused(e.getMessage(), e);
            }
            unverified = e.getMessage();
        }
        try {
            return startImage(ProgramImage.of(image), name, args, std, unverified, options.limits());
        } catch (LoadException e) {
            throw new Refused(name + ": " + e.getMessage(), e);
        }
    }

    /** Largest program file {@code spawn} reads (the checker's input is held in memory whole). */
    static final long MAX_PROGRAM_FILE = 64L << 20;

    /**
     * The {@link ProcessTable.Launcher}: serves {@code spawn} for
     * {@code parent}. Reads {@code path} through the VFS (and so through the
     * page cache, seeing the parent's unflushed writes), requires a regular
     * file with an execute bit, verifies it, and starts it with the parent's
     * standard streams and the kernel's limits. Never throws; the reasons for
     * {@code -ENOEXEC} and {@code -ENOMEM} go to the kernel's diagnostics.
     */
    private long spawn(Process parent, byte[] path, List<byte[]> argv) {
        String name = new String(path, StandardCharsets.UTF_8);
        StdStreams std = parent.fds().std();
        ProgramFile file = ProgramFile.read(vfs, path, std, MAX_PROGRAM_FILE);
        if (file.bytes() == null) {
            if (file.errno() == Errno.ENOEXEC) spawnFailed(parent, name, "larger than " + (MAX_PROGRAM_FILE >> 20) + " MiB");
            return -file.errno();
        }
        byte[] elf = file.bytes();
        ElfImage image;
        String unverified = null;
        try {
            image = Checker.check(elf, name).image();
        } catch (IllTyped e) {
            if (!options.unverified()) {
                spawnFailed(parent, name, e.getMessage());
                return -Errno.ENOEXEC;
            }
            try {
                image = ElfReader.read(elf);
            } catch (MalformedElfException malformed) {
                spawnFailed(parent, name, e.getMessage());
                return -Errno.ENOEXEC;
            }
            unverified = e.getMessage();
        }
        if (parent.isEnding()) return -Errno.EINTR; // ended while its child was being checked: start nothing
        Process child;
        try {
            child = startProcess(parent.pid(), ProgramImage.of(image), name, argv, std, unverified, options.limits());
        } catch (ProcessTable.Full e) {
            return -Errno.EAGAIN;
        } catch (LoadException e) {
            spawnFailed(parent, name, e.getMessage());
            return -Errno.ENOMEM;
        }
        parent.adopt(child);
        return child.pid();
    }

    private void spawnFailed(Process parent, String name, String why) {
        options.diagnostics().println("ring0: spawn by pid " + parent.pid() + " failed: " + name + ": " + why);
    }

    /**
     * Starts a program image. If {@code unverifiedBecause} is not null the
     * program was not verified (the reason is printed with a loud warning).
     * Package-private so that only this class and the tests (which build raw
     * images) can start an image at all.
     */
    Process startImage(ProgramImage image, String name, List<String> args, StdStreams std, String unverifiedBecause,
                       Limits limits) throws LoadException {
        List<byte[]> argv = new ArrayList<>();
        argv.add(name.getBytes(StandardCharsets.UTF_8));
        for (String a : args) argv.add(a.getBytes(StandardCharsets.UTF_8));
        try {
            return startProcess(0, image, name, argv, std, unverifiedBecause, limits);
        } catch (ProcessTable.Full e) {
            throw new LoadException(e.getMessage());
        }
    }

    /** Starts {@code image} as a process whose parent is {@code ppid}, with argument array {@code argv}. */
    private Process startProcess(int ppid, ProgramImage image, String name, List<byte[]> argv, StdStreams std,
                                 String unverifiedBecause, Limits limits) throws LoadException, ProcessTable.Full {
        if (unverifiedBecause != null) {
            options.diagnostics().println("ring0: WARNING: " + name + " runs UNVERIFIED in kernel mode:"
                    + " it can crash or corrupt the kernel.");
            options.diagnostics().println("ring0: WARNING: " + unverifiedBecause);
        }
        List<Trampoline> slots = new ArrayList<>();
        for (String imp : image.imports()) {
            Call c = Call.byName(imp);
            if (c == null) throw new LoadException("the kernel does not serve the import " + imp);
            slots.add(c.trampoline(options.fastPath()));
        }
        return table.start(ppid, name, image, slots, Syscalls.dispatcher(), argv, limits, new FdTable(vfs, std));
    }

    /** Kills process {@code pid}: it ends within one poll. False if no such process is running. */
    public boolean kill(int pid) { return table.kill(pid); }

    /** How many processes may run at once ({@code spawn} beyond that: EAGAIN). */
    public int processesCapacity() { return table.capacity(); }

    /** The process table (for the kernel's own tests). */
    ProcessTable processes() { return table; }

    /** Kills every running process (Ctrl-C): each ends within one poll, with status 137 and {@code message}. */
    public void killAll(String message) { table.killAll(message); }

    /** The running processes. */
    public List<Job> jobs() { return List.copyOf(table.list()); }

    /** The options this kernel runs with. */
    public Options options() { return options; }

    /** Kills every process, waits for them to end (if interrupted, stops waiting), and writes the page cache back. */
    @Override
    public void close() {
        table.close();
        cache.close();
    }
}
