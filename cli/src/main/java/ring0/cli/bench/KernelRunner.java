package ring0.cli.bench;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import ring0.kernel.Exit;
import ring0.kernel.Job;
import ring0.kernel.Kernel;
import ring0.kernel.fs.StdStreams;

/**
 * Runs the ELF file in kernel mode, in this JVM, through a kernel whose file
 * system is rooted at the workspace. Each run is a new process of the same
 * kernel (so the kernel's page cache and the JIT's work carry over from run
 * to run, as they would for any long-running kernel). Standard input is
 * empty; standard output is returned.
 *
 * @param gate    {@link Gate#RING0}, or {@link Gate#RING0_UPCALL} for a kernel without fast paths
 * @param kernel  the kernel
 * @param elf     the ELF file's bytes (verified again by the kernel on every start)
 * @param name    argument 0
 * @param root    the kernel's root directory on the host
 * @param timeout how long one run may take
 */
record KernelRunner(Gate gate, Kernel kernel, byte[] elf, String name, Path root, Duration timeout) implements Runner {
    KernelRunner {
        if (gate.isNative()) throw new IllegalArgumentException(gate + " is not kernel mode");
    }

    @Override
    public String run(List<String> args) throws BenchException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Job job;
        try {
            job = kernel.start(elf, name, args, new StdStreams(InputStream.nullInputStream(), out, err));
        } catch (Kernel.Refused e) { // ill-typed (cannot happen: verified before) or not loadable
            throw new BenchException("the kernel refuses " + describe(args) + ": " + e.getMessage());
        }
        Exit exit = job.waitFor(timeout.toMillis());
        if (exit == null) {
            job.kill();
            job.waitFor();
            throw new BenchException(describe(args) + " took longer than " + timeout.toSeconds() + " s");
        }
        if (exit.status() != 0) {
            throw new BenchException(describe(args) + " ended with " + exit
                    + NativeRunner.oneLine(err.toString(StandardCharsets.UTF_8)));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String path(Path hostFile) {
        Path rel = root.toAbsolutePath().relativize(hostFile.toAbsolutePath());
        if (rel.startsWith("..")) throw new IllegalArgumentException(hostFile + " is outside the kernel's root " + root);
        return "/" + rel;
    }

    private String describe(List<String> args) {
        return name + " " + String.join(" ", args) + " in kernel mode";
    }
}
