package ring0.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test-only: runs a test class's {@code main} in a fresh JVM on the class
 * path, so a fault in native code fails one test instead of killing the test
 * JVM.
 */
final class ChildJvm {
    private ChildJvm() {}

    /** What the child did. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() { return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err; }
    }

    static Result run(Class<?> main, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Set<String> cp = new LinkedHashSet<>();
        for (String prop : new String[] {"jdk.module.path", "java.class.path"}) {
            String v = System.getProperty(prop);
            if (v == null) continue;
            for (String e : v.split(File.pathSeparator)) if (!e.isBlank()) cp.add(e);
        }
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss8m",
                "-cp", String.join(File.pathSeparator, cp), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
    }

    private static byte[] drain(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return ("(read failed: " + e + ")").getBytes(StandardCharsets.UTF_8);
        }
    }
}
