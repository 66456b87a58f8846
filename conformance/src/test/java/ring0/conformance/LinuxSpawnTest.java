package ring0.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import ring0.asm.LinuxStub;

/**
 * The process services {@code spawn}, {@code wait} and {@code kill} on Linux,
 * through both gates of the entry stub: argument passing, the errors spawn
 * reports itself (missing, not executable, not ELF, a {@code #!} script, a
 * directory, bad arguments), waits on what is not a child, kill's refusals
 * (pid 0 and -1 never reach Linux, nor does a pid that would be truncated),
 * a killed child's status, several children at once, the gate and the
 * environment passing to the child, and close-on-exec descriptors; and
 * {@code examples/run.tal}. The driver runs under {@code timeout} (which
 * passes its status on), so that a kill that reached its parent would end
 * {@code timeout}, not this JVM.
 */
class LinuxSpawnTest {
    @TempDir static Path dir;
    private static Path child, looper, driver, registers, run, hello, list;
    private static Process unrelated;

    @BeforeAll
    static void build() throws IOException {
        child = LinuxProcess.build(dir, "child", SpawnPrograms.CHILD);
        looper = LinuxProcess.build(dir, "looper", SpawnPrograms.LOOPER);
        driver = LinuxProcess.build(dir, "driver", SpawnPrograms.DRIVER);
        registers = LinuxProcess.build(dir, "registers", SpawnPrograms.registers());
        Path examples = LinuxProcess.examples();
        run = LinuxProcess.build(dir, "run", Files.readString(examples.resolve("run.tal")));
        hello = LinuxProcess.build(dir, "hello", Files.readString(examples.resolve("hello.tal")));
        list = LinuxProcess.build(dir, "list", Files.readString(examples.resolve("list.tal")));
        Files.writeString(dir.resolve("noexec"), "not executable\n");
        executable(Files.writeString(dir.resolve("text"), "just text, no #! line\n"));
        executable(Files.writeString(dir.resolve("script"), "#!/bin/sh\necho script ran\nexit 9\n"));
        Files.createDirectory(dir.resolve("subdir"));
        Files.writeString(dir.resolve("file"), "opened by the driver\n");
        unrelated = new ProcessBuilder("sleep", "600").start();
    }

    @AfterAll
    static void stopUnrelated() {
        if (unrelated != null) unrelated.destroyForcibly();
    }

    private static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Gate settings (null: RING0_GATE unset) and whether the environment holds a large extra variable. */
    static Stream<Arguments> gatesAndEnvironments() {
        List<Arguments> out = new ArrayList<>();
        for (String gate : LinuxRunTest.GATES) {
            out.add(Arguments.of(gate, false));
            out.add(Arguments.of(gate, true));
        }
        return out.stream();
    }

    /** What the child prints for argv: argc, the arguments, below-4-GiB (1 on int80), fstat(3) = -EBADF. */
    private static List<String> childOutput(String gate, String... args) {
        List<String> out = new ArrayList<>();
        out.add(Integer.toString(args.length + 1));
        out.add(child.toString());
        out.addAll(List.of(args));
        out.add("int80".equals(gate) ? "1" : "0");
        out.add("-9");
        return out;
    }

    /** The driver's lines, with the children's output in between (see {@link SpawnPrograms#DRIVER}). */
    private static List<String> expectedDriver(String gate) {
        List<String> e = new ArrayList<>();
        e.add("3");                                         // open: descriptor 3
        e.addAll(childOutput(gate, "a", "bb", "", "ccc"));
        e.add("1");                                         // spawn gave a pid (printed after the child ran)
        e.add("5");                                         // wait: argc 5
        e.addAll(childOutput(gate));
        e.add("1");
        e.add("1");
        e.add("-2");                                        // missing: ENOENT
        e.addAll(List.of("-13", "-8", "-8", "-13"));        // no x bit, text, #! script, directory
        e.add("-22");                                       // arguments not NUL-terminated
        e.add("-7");                                        // 256 pieces: E2BIG
        e.add("1");                                         // 255 pieces: spawned, quiet
        e.add("0");                                         // argc 256: status 0
        e.add("-22");                                       // NUL in the path
        e.add("-36");                                       // 4096-byte path
        e.addAll(List.of("-10", "-10", "-10", "-10", "-10")); // wait: parent, 0, -1, itself, 2^32
        e.addAll(List.of("-22", "-22", "-22"));             // kill 0, -1, -2^31
        e.addAll(List.of("-3", "-3", "-3"));                // kill 2^32-1, 2^32+1, 2^31-1
        e.add("-1");                                        // kill an unrelated process: EPERM
        e.add("-1");                                        // kill the parent: EPERM
        e.addAll(List.of("0", "137", "-3"));                // the looper: killed, 128 + 9, gone
        e.addAll(List.of("4", "0", "2", "137"));            // three children
        return e;
    }

    @ParameterizedTest(name = "gate {0}, large environment {1}")
    @MethodSource("gatesAndEnvironments")
    void driverSeesEveryCase(String gate, boolean largeEnvironment) throws Exception {
        List<String> command = List.of("timeout", "60", driver.toString(),
                child.toString(), dir.resolve("missing").toString(), dir.resolve("noexec").toString(),
                dir.resolve("text").toString(), dir.resolve("script").toString(), dir.resolve("subdir").toString(),
                looper.toString(), dir.resolve("file").toString(), Long.toString(unrelated.pid()));
        LinuxProcess.Result r = largeEnvironment
                ? runWithEnvironment(gate, command, 10, 20_000)
                : LinuxProcess.run(dir, gate, null, command);
        assertThat(r.stderr()).isEmpty();
        assertThat(r.lines()).containsExactlyElementsOf(expectedDriver(gate));
        assertThat(r.exit()).as("the driver kills itself").isEqualTo(137);
        assertThat(unrelated.isAlive()).isTrue();
    }

    /** Like {@link LinuxProcess#run} with {@code count} more environment variables of {@code size} bytes each. */
    private static LinuxProcess.Result runWithEnvironment(String gate, List<String> command, int count, int size)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "stdout", ".bin"), err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(Path.of("/dev/null").toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (gate == null) pb.environment().remove(LinuxStub.GATE_VARIABLE);
        else pb.environment().put(LinuxStub.GATE_VARIABLE, gate);
        for (int i = 0; i < count; i++) pb.environment().put("RING0_TEST_FILLER" + i, Character.toString('a' + i).repeat(size));
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished in time").isTrue();
            return new LinuxProcess.Result(p.pid(), p.exitValue(), Files.readAllBytes(out),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("ring0.conformance.LinuxRunTest#GATES")
    void callsPreserveTheCalleeSavedRegisters(String gate) throws Exception {
        LinuxProcess.Result r = LinuxProcess.run(dir, gate, null, registers, looper.toString(), "text");
        assertThat(r.out()).isEqualTo("0\n");
        assertThat(r.exit()).isZero();
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("ring0.conformance.LinuxRunTest#GATES")
    void runRunsHelloAndPassesTheStatus(String gate) throws Exception {
        LinuxProcess.Result r = LinuxProcess.run(dir, gate, null, run, hello.toString());
        assertThat(r.out()).isEqualTo("hello, world\n");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.exit()).isZero();

        r = LinuxProcess.run(dir, gate, null, run, list.toString(), "100");
        assertThat(r.out()).isEqualTo("5050\n");
        assertThat(r.exit()).isZero();

        r = LinuxProcess.run(dir, gate, null, run, list.toString(), "12a");
        assertThat(r.stderr()).isEqualTo("usage: list [N], N a number of at most 18 digits\n");
        assertThat(r.exit()).isEqualTo(2);

        r = LinuxProcess.run(dir, gate, null, run, run.toString(), child.toString(), "x", "", "yy");
        assertThat(r.lines()).containsExactlyElementsOf(childOutput(gate, "x", "", "yy"));
        assertThat(r.exit()).as("the child's argc, through two runs").isEqualTo(4);
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("ring0.conformance.LinuxRunTest#GATES")
    void runReportsWhatCannotBeSpawned(String gate) throws Exception {
        LinuxProcess.Result r = LinuxProcess.run(dir, gate, null, run, "no-such-program", "a");
        assertThat(r.stderr()).isEqualTo("run: cannot spawn no-such-program: errno 2\n");
        assertThat(r.exit()).isEqualTo(127);
        r = LinuxProcess.run(dir, gate, null, run, "script");
        assertThat(r.out()).as("a #! script is not run").isEmpty();
        assertThat(r.stderr()).isEqualTo("run: cannot spawn script: errno 8\n");
        assertThat(r.exit()).isEqualTo(127);
        r = LinuxProcess.run(dir, gate, null, run);
        assertThat(r.stderr()).isEqualTo("usage: run PROG [ARG]...\n");
        assertThat(r.exit()).isEqualTo(2);
    }

    /** A child killed by a signal other than through kill: run exits with 128 + the signal. */
    @Test
    void runReportsASignal() throws Exception {
        Path sh = dir.resolve("selfkill");
        executable(Files.writeString(sh, "#!/bin/sh\nkill -TERM $$\n"));
        // run spawns only ELF files; spawn /bin/sh itself (an ELF) with the script as its argument
        LinuxProcess.Result r = LinuxProcess.run(dir, null, null, run, "/bin/sh", sh.toString());
        assertThat(r.exit()).isEqualTo(128 + 15);
    }
}
