package ring0.kernel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ring0.kernel.fs.StdStreams;
import ring0.kernel.load.LoadException;
import ring0.kernel.load.ProgramImage;
import ring0.kernel.proc.Process;

/** Test-only: a kernel over a temporary root, with in-memory standard streams per process. */
final class Fixture implements AutoCloseable {
    final Path root;
    final Kernel kernel;
    final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

    /** The result of one run: how it ended and what it wrote. */
    record Run(Exit exit, byte[] out, byte[] err) {
        String outText() { return new String(out, StandardCharsets.UTF_8); }
    }

    /** A started process with its captured output. */
    record Started(Process process, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        Run await() throws InterruptedException {
            Exit e = process.waitFor();
            return new Run(e, out.toByteArray(), err.toByteArray());
        }
    }

    Fixture() throws IOException { this(Limits.DEFAULT, true); }

    Fixture(Limits limits, boolean fastPath) throws IOException {
        root = Files.createTempDirectory("ring0-kernel");
        kernel = new Kernel(root, Kernel.Options.defaults().withLimits(limits).withFastPath(fastPath)
                .withDiagnostics(new PrintStream(diagnostics, true, StandardCharsets.UTF_8)));
    }

    Started start(ProgramImage image, byte[] stdin, String... args) throws LoadException {
        return start(image, stdin, kernel.options().limits(), args);
    }

    Started start(ProgramImage image, byte[] stdin, Limits limits, String... args) throws LoadException {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        Process p = kernel.startImage(image, "prog", List.of(args),
                new StdStreams(new ByteArrayInputStream(stdin), out, err), "raw test image", limits);
        return new Started(p, out, err);
    }

    Run run(ProgramImage image, String... args) throws LoadException, InterruptedException {
        return start(image, new byte[0], args).await();
    }

    Run run(ProgramImage image, byte[] stdin, String... args) throws LoadException, InterruptedException {
        return start(image, stdin, args).await();
    }

    @Override
    public void close() throws IOException {
        kernel.close();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
