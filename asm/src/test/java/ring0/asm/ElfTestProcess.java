package ring0.asm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a native command for the ELF tests, with a timeout, capturing its output. */
final class ElfTestProcess {
    private ElfTestProcess() {}

    /** What a finished process left behind. */
    record Result(int exit, String stdout, String stderr) {}

    /**
     * Runs {@code command} in {@code dir}; {@code env} entries with a null value are removed
     * from the environment.
     */
    static Result run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        env.forEach((k, v) -> {
            if (v == null) pb.environment().remove(k); else pb.environment().put(k, v);
        });
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    /** True if {@code tool} can be found on the PATH. */
    static boolean available(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }
}
