package ring0.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ring0.asm.AsmException;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;
import ring0.asm.LinuxStub;

/**
 * Builds ring0 programs into executables and runs them as real Linux
 * processes, with a timeout, for the Linux run tests.
 */
final class LinuxProcess {
    private LinuxProcess() {}

    /** How long one process may run. */
    private static final long TIMEOUT_SECONDS = 60;

    /**
     * A finished process.
     *
     * @param pid    its process id
     * @param exit   exit status (128 + signal number if a signal ended it)
     * @param stdout everything it wrote to stdout
     * @param stderr everything it wrote to stderr, as ISO-8859-1 text
     */
    record Result(long pid, int exit, byte[] stdout, String stderr) {
        String out() { return new String(stdout, StandardCharsets.ISO_8859_1); }

        /** stdout as lines, for programs that print one value per line. */
        List<String> lines() { return out().lines().toList(); }
    }

    /** Assembles {@code source} and writes it as an executable {@code dir/name}. */
    static Path build(Path dir, String name, String source) throws IOException {
        try {
            byte[] elf = ElfWriter.write(Assembler.assemble(source, name + ".tal"));
            Path exe = dir.resolve(name);
            Files.write(exe, elf);
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
            return exe;
        } catch (AsmException e) {
            throw new AssertionError("test program " + name + " does not assemble:\n" + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code exe} with {@code args} in {@code dir}, stdin from {@code stdin}
     * (or /dev/null if null), {@code RING0_GATE} set to {@code gate} (or removed if null).
     */
    static Result run(Path dir, String gate, Path stdin, Path exe, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(exe.toString());
        command.addAll(List.of(args));
        return run(dir, gate, stdin, command);
    }

    /** Runs {@code command} like {@link #run(Path, String, Path, Path, String...)}. */
    static Result run(Path dir, String gate, Path stdin, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".bin"), err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(stdin == null ? Path.of("/dev/null").toFile() : stdin.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        if (gate == null) pb.environment().remove(LinuxStub.GATE_VARIABLE);
        else pb.environment().put(LinuxStub.GATE_VARIABLE, gate);
        Process p = pb.start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out after " + TIMEOUT_SECONDS + " s: " + command + " gate " + gate);
            }
            return new Result(p.pid(), p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The repository's {@code examples} directory, found from the working directory upwards. */
    static Path examples() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("examples/hello.tal"))) return d.resolve("examples");
        }
        throw new AssertionError("examples/ not found above " + Path.of("").toAbsolutePath());
    }
}
