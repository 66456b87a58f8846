package ring0.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ring0.asm.Assembler;
import ring0.asm.ElfWriter;
import ring0.kernel.fs.StdStreams;

/**
 * The same executable, built from {@code examples/*.tal} by the ring0
 * assembler, runs on Linux (its own entry stub, {@code syscall} gate) and in
 * kernel mode, verified; stdout, stderr and the exit status must agree.
 * Files a case needs are created in the kernel's root, which is also the
 * Linux run's working directory.
 */
class ExamplesKernelTest {
    static final Path EXAMPLES = Path.of(System.getProperty("user.dir")).getParent().resolve("examples");
    static final Map<String, byte[]> ELF = new ConcurrentHashMap<>();
    static Path root;
    static Kernel kernel;

    /** One run: the example, its arguments after argument 0, its stdin, and files to create first. */
    record Case(String example, List<String> args, byte[] stdin, Map<String, String> files) {
        @Override
        public String toString() {
            return example + (args.isEmpty() ? "" : " " + String.join(" ", args)) + (stdin.length > 0 ? " <" + stdin.length + " bytes" : "");
        }
    }

    static Stream<Case> cases() {
        byte[] noise = new byte[150_000];
        new Random(7).nextBytes(noise);
        List<Case> c = new ArrayList<>();
        c.add(new Case("hello", List.of(), new byte[0], Map.of()));
        c.add(new Case("cat", List.of(), "from stdin\nline two\n".getBytes(StandardCharsets.UTF_8), Map.of()));
        c.add(new Case("cat", List.of("one.txt", "-", "two.txt"), "between\n".getBytes(StandardCharsets.UTF_8),
                Map.of("one.txt", "first file\n", "two.txt", "second file\n")));
        c.add(new Case("cat", List.of("absent.txt"), new byte[0], Map.of()));
        c.add(new Case("fib", List.of(), new byte[0], Map.of()));
        c.add(new Case("fib", List.of("30"), new byte[0], Map.of()));
        c.add(new Case("fib", List.of("x"), new byte[0], Map.of()));
        c.add(new Case("list", List.of("1000"), new byte[0], Map.of()));
        c.add(new Case("sum", List.of(), new byte[0], Map.of()));
        c.add(new Case("sort", List.of(), new byte[0], Map.of()));
        c.add(new Case("tree", List.of(), new byte[0], Map.of()));
        c.add(new Case("closure", List.of(), new byte[0], Map.of()));
        c.add(new Case("upper", List.of(), noise, Map.of()));
        // run spawns another example (built into the root as NAME.elf by its own case or below)
        c.add(new Case("run", List.of("./hello.elf"), new byte[0], Map.of()));
        c.add(new Case("run", List.of("./cat.elf", "one.txt", "-"), "typed in\n".getBytes(StandardCharsets.UTF_8),
                Map.of("one.txt", "first file\n")));
        c.add(new Case("run", List.of("./fib.elf", "x"), new byte[0], Map.of()));
        c.add(new Case("run", List.of("./run.elf", "./list.elf", "5"), new byte[0], Map.of()));
        c.add(new Case("run", List.of("./absent.elf"), new byte[0], Map.of()));
        c.add(new Case("run", List.of("one.txt"), new byte[0], Map.of("one.txt", "not a program\n")));
        c.add(new Case("run", List.of(), new byte[0], Map.of()));
        return c.stream();
    }

    @BeforeAll
    static void setUp() throws IOException {
        root = Files.createTempDirectory("ring0-examples");
        kernel = new Kernel(root, Kernel.Options.defaults());
    }

    @AfterAll
    static void tearDown() throws Exception {
        kernel.close();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static byte[] elf(String example) {
        return ELF.computeIfAbsent(example, e -> {
            try {
                return ElfWriter.write(Assembler.assemble(Files.readString(EXAMPLES.resolve(e + ".tal")), e + ".tal"));
            } catch (Exception ex) {
                throw new AssertionError("cannot assemble " + e + ": " + ex.getMessage(), ex);
            }
        });
    }

    /** Writes example {@code e} into the root as {@code e.elf}, executable, if it is not there yet. */
    private static void install(String e) throws IOException {
        Path exe = root.resolve(e + ".elf");
        if (!Files.exists(exe)) {
            Files.write(exe, elf(e));
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kernelModeAgreesWithLinux(Case c) throws Exception {
        byte[] elf = elf(c.example());
        for (var f : c.files().entrySet()) Files.writeString(root.resolve(f.getKey()), f.getValue());
        for (String e : List.of(c.example(), "hello", "cat", "fib", "list", "run")) install(e);
        String name = "./" + c.example() + ".elf";

        List<String> cmd = new ArrayList<>(List.of(name));
        cmd.addAll(c.args());
        Process linux = new ProcessBuilder(cmd).directory(root.toFile()).start();
        CompletableFuture<byte[]> lout = CompletableFuture.supplyAsync(() -> drain(linux.getInputStream()));
        CompletableFuture<byte[]> lerr = CompletableFuture.supplyAsync(() -> drain(linux.getErrorStream()));
        try (var in = linux.getOutputStream()) {
            in.write(c.stdin());
        }
        assertThat(linux.waitFor(60, TimeUnit.SECONDS)).isTrue();

        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        Job p = kernel.start(elf, name, c.args(),
                new StdStreams(new ByteArrayInputStream(c.stdin()), out, err));
        Exit e = p.waitFor();

        assertThat(e.how()).as("verified, so it must end normally: %s", e).isIn(Exit.How.RETURNED, Exit.How.EXITED);
        assertThat(new String(err.toByteArray(), StandardCharsets.ISO_8859_1)).as("stderr")
                .isEqualTo(new String(lerr.join(), StandardCharsets.ISO_8859_1));
        assertThat(out.toByteArray()).as("stdout").isEqualTo(lout.join());
        assertThat(e.status()).as("exit status").isEqualTo(linux.exitValue());
    }

    /** Where Linux and kernel mode must differ: on Linux, cat reads outside the root; in kernel mode it cannot. */
    @org.junit.jupiter.api.Test
    void catCannotLeaveTheRoot() throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        Exit e = kernel.start(elf("cat"), "cat", List.of("../../../../etc/hostname", "/etc/hostname"),
                new StdStreams(new ByteArrayInputStream(new byte[0]), out, err)).waitFor();
        assertThat(e.status()).isEqualTo(1);
        assertThat(out.toByteArray()).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("cat: cannot open ../../../../etc/hostname\n");
    }

    private static byte[] drain(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
