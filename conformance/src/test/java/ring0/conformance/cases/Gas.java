package ring0.conformance.cases;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs GNU as ({@code as --64}) on one source file and reads the object it writes. */
final class Gas {
    private Gas() {}

    private static final long TIMEOUT_SECONDS = 60;

    /**
     * Assembles {@code source} in a fresh directory under {@code workDir}.
     *
     * @throws IOException if as fails or warns; the message holds its diagnostics and the numbered source
     */
    static ObjectFile assemble(String source, Path workDir) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(workDir, "case");
        try {
            Path src = dir.resolve("case.s");
            Path obj = dir.resolve("case.o");
            Path log = dir.resolve("as.log");
            Files.writeString(src, source);
            Process p = new ProcessBuilder("as", "--64", "-o", obj.toString(), src.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("as timed out after " + TIMEOUT_SECONDS + " s");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || !out.isBlank()) {
                throw new IOException("as failed on the generated source:\n" + out + "\n--- source ---\n" + numbered(source));
            }
            return ObjectFile.read(Files.readAllBytes(obj));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
    }

    /** {@code source} with line numbers, to read as's diagnostics and failures against. */
    static String numbered(String source) {
        StringBuilder s = new StringBuilder();
        String[] lines = source.split("\n");
        for (int i = 0; i < lines.length; i++) s.append(String.format("%4d  %s%n", i + 1, lines[i]));
        return s.toString();
    }
}
