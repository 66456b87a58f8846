package ring0.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ring0.asm.AsmException;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;
import ring0.elf.ElfReader;
import ring0.verify.Checker;
import ring0.verify.IllTyped;

/**
 * Assembles every program in {@code examples/} with the ring0 assembler and
 * runs it on Linux through both gates of the entry stub ({@code RING0_GATE}
 * unset, i.e. {@code syscall}, and {@code int80}), checking the exact bytes on
 * stdout, the exit status, and stderr where a program reports an error; and
 * checks that the type checker accepts every example.
 */
class ExamplesRunTest {
    private static final Path EXAMPLES = findExamples();
    /** The gates: {@code default} means RING0_GATE is not set (the stub then uses syscall). */
    private static final List<String> GATES = List.of("default", "int80");

    @TempDir
    static Path dir;

    /** Assembled executables by example name, built once per run. */
    private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

    /**
     * One run of an example.
     *
     * @param example the file name without {@code .tal}
     * @param args    the command-line arguments after the program path
     * @param files   files to create in the working directory first (name to contents)
     * @param stdin   bytes fed to stdin
     * @param stdout  the exact expected stdout
     * @param exit    the expected exit status
     * @param stderr  the exact expected stderr
     */
    record Case(String example, List<String> args, Map<String, String> files, byte[] stdin, byte[] stdout,
            int exit, String stderr) {
        @Override
        public String toString() {
            String in = stdin.length == 0 ? "" : " <" + stdin.length + " bytes";
            return example + (args.isEmpty() ? "" : " " + String.join(" ", args)) + in;
        }
    }

    private static Case ok(String example, List<String> args, String stdin, String stdout) {
        return new Case(example, args, Map.of(), latin1(stdin), latin1(stdout), 0, "");
    }

    private static Case fails(String example, List<String> args, int exit, String stderr) {
        return new Case(example, args, Map.of(), new byte[0], new byte[0], exit, stderr);
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(ok("hello", List.of(), "", "hello, world\n"));

        cases.add(ok("cat", List.of(), "one\ntwo\n", "one\ntwo\n"));
        cases.add(new Case("cat", List.of("a.txt", "-", "b.txt"), Map.of("a.txt", "alpha\n", "b.txt", "beta\n"),
                latin1("middle\n"), latin1("alpha\nmiddle\nbeta\n"), 0, ""));
        cases.add(new Case("cat", List.of("no-such-file"), Map.of(), new byte[0], new byte[0], 1,
                "cat: cannot open no-such-file\n"));

        for (long n : new long[] {10, 0, 1, 100, 12345}) {
            List<String> args = n == 10 ? List.of() : List.of(Long.toString(n));
            cases.add(ok("list", args, "", n * (n + 1) / 2 + "\n"));
        }
        String listUsage = "usage: list [N], N a number of at most 18 digits\n";
        cases.add(fails("list", List.of("12a"), 2, listUsage));
        cases.add(fails("list", List.of(""), 2, listUsage));
        cases.add(fails("list", List.of("1234567890123456789"), 2, listUsage));

        for (int n : new int[] {20, 0, 1, 2, 25}) {
            List<String> args = n == 20 ? List.of() : List.of(Integer.toString(n));
            cases.add(ok("fib", args, "", fib(n) + "\n"));
        }
        cases.add(fails("fib", List.of("-3"), 2, "usage: fib [N], N a number of at most 18 digits\n"));

        cases.add(ok("sum", List.of(), "", "129\n328350\n"));

        cases.add(ok("sort", List.of(), "", "1 3 7 11 14 18 25 29 36 42 42 54 60 65 70 77 82 88 93 99\n"));

        cases.add(ok("tree", List.of(), "", """
                20 30 35 40 45 50 60 65 70 80
                found 35
                missing 36
                found 50
                found 80
                missing 81
                found 20
                missing 0
                found 65
                """));

        cases.add(ok("closure", List.of(), "", """
                101 102 103 104 105
                7 14 21 28 35
                4 7 10 13 16
                """));

        cases.add(ok("upper", List.of(), "", ""));
        cases.add(ok("upper", List.of(), "Hello, World! az AZ `a{z@ 0129\n", "HELLO, WORLD! AZ AZ `A{Z@ 0129\n"));
        byte[] big = new byte[200_000];                     // several 64 KiB chunks, every byte value
        new Random(42).nextBytes(big);
        cases.add(new Case("upper", List.of(), Map.of(), big, upcase(big), 0, ""));

        // run spawns the examples built next to the work directories (runsAsExpected builds them)
        cases.add(ok("run", List.of("../hello"), "", "hello, world\n"));
        cases.add(ok("run", List.of("../list", "100"), "", "5050\n"));
        cases.add(new Case("run", List.of("../cat", "-", "in.txt"), Map.of("in.txt", "file\n"), latin1("stdin\n"),
                latin1("stdin\nfile\n"), 0, ""));
        cases.add(fails("run", List.of("../list", "x"), 2, listUsage));
        cases.add(fails("run", List.of("no-such-program"), 127, "run: cannot spawn no-such-program: errno 2\n"));
        cases.add(fails("run", List.of(), 2, "usage: run PROG [ARG]...\n"));
        return cases;
    }

    static Stream<Arguments> runs() {
        return cases().stream().flatMap(c -> GATES.stream().map(g -> Arguments.of(c, g)));
    }

    @ParameterizedTest(name = "{0} [gate {1}]")
    @MethodSource("runs")
    void runsAsExpected(Case c, String gate) throws Exception {
        Path exe = build(c.example());
        if (c.example().equals("run")) List.of("hello", "list", "cat").forEach(ExamplesRunTest::build);
        Path work = Files.createTempDirectory(dir, c.example());
        for (var f : c.files().entrySet()) Files.writeString(work.resolve(f.getKey()), f.getValue());
        Path in = work.resolve("stdin");
        Files.write(in, c.stdin());
        List<String> command = new ArrayList<>(List.of(exe.toString()));
        command.addAll(c.args());
        Result r = run(work, gate, in, command);
        assertThat(r.stderr()).as("stderr of %s", c).isEqualTo(c.stderr());
        assertThat(r.stdout()).as("stdout of %s", c).isEqualTo(new String(c.stdout(), StandardCharsets.ISO_8859_1));
        assertThat(r.exit()).as("exit status of %s", c).isEqualTo(c.exit());
    }

    /** A failed write is reported: upper's stdout is /dev/full, where every write fails with ENOSPC. */
    @ParameterizedTest(name = "upper > /dev/full [gate {0}]")
    @MethodSource("gates")
    void upperReportsWriteErrors(String gate) throws Exception {
        Path exe = build("upper");
        Path in = Files.createTempFile(dir, "in", ".txt");
        Files.writeString(in, "some text\n");
        ProcessBuilder pb = new ProcessBuilder(exe.toString()).redirectInput(in.toFile())
                .redirectOutput(Path.of("/dev/full").toFile());
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectError(err.toFile());
        setGate(pb, gate);
        int exit = waitFor(pb.start(), pb.command());
        assertThat(Files.readString(err)).isEqualTo("upper: I/O error\n");
        assertThat(exit).isEqualTo(1);
    }

    static Stream<String> gates() {
        return GATES.stream();
    }

    /**
     * The checker accepts every example. Skipped (not passed) while the assembler
     * does not yet write the {@code .ring0.types} section.
     */
    @ParameterizedTest(name = "{0} verifies")
    @MethodSource("examples")
    void verifies(String example) throws Exception {
        byte[] elf = Files.readAllBytes(build(example));
        assumeTrue(ElfReader.read(elf).types() != null, "the assembler does not write .ring0.types yet");
        try {
            Checker.check(elf, example);
        } catch (IllTyped e) {
            fail("examples/" + example + ".tal is rejected by the checker:\n" + e.getMessage());
        }
    }

    static Stream<String> examples() {
        return cases().stream().map(Case::example).distinct();
    }

    /** Every example in the directory is run by at least one case, so none is forgotten. */
    @Test
    void everyExampleHasACase() throws IOException {
        TreeSet<String> onDisk;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tal"))
                    .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
        }
        TreeSet<String> covered = cases().stream().map(Case::example).collect(Collectors.toCollection(TreeSet::new));
        assertThat(onDisk).isNotEmpty();
        assertThat(covered).isEqualTo(onDisk);
    }

    // ---- helpers ----

    private static Path build(String example) {
        return BUILT.computeIfAbsent(example, name -> {
            try {
                String file = name + ".tal";
                String source = Files.readString(EXAMPLES.resolve(file));
                byte[] elf = ElfWriter.write(Assembler.assemble(source, file));
                Path exe = dir.resolve(name);
                Files.write(exe, elf);
                Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
                return exe;
            } catch (AsmException e) {
                throw new AssertionError("examples/" + example + ".tal does not assemble:\n" + e.getMessage());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(Path work, String gate, Path stdin, List<String> command)
            throws IOException, InterruptedException {
        Path out = work.resolve("stdout"), err = work.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
                .redirectInput(stdin.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        setGate(pb, gate);
        int exit = waitFor(pb.start(), command);
        return new Result(exit, Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    private static void setGate(ProcessBuilder pb, String gate) {
        if (gate.equals("default")) pb.environment().remove("RING0_GATE");
        else pb.environment().put("RING0_GATE", gate);
    }

    private static int waitFor(Process p, List<String> command) throws InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("timed out after 60 s: " + command);
        }
        return p.exitValue();
    }

    private static long fib(int n) {
        long a = 0, b = 1;
        for (int i = 0; i < n; i++) {
            long t = a + b;
            a = b;
            b = t;
        }
        return a;
    }

    private static byte[] upcase(byte[] in) {
        byte[] out = in.clone();
        for (int i = 0; i < out.length; i++) if (out[i] >= 'a' && out[i] <= 'z') out[i] -= 32;
        return out;
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The repository's {@code examples/} directory, found from the working directory upwards. */
    private static Path findExamples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path e = p.resolve("examples");
            if (Files.isRegularFile(e.resolve("hello.tal"))) return e;
        }
        throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
    }
}
