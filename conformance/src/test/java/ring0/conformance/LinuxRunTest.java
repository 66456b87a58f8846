package ring0.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import ring0.asm.LinuxStub;

/**
 * Runs assembled ring0 programs as real Linux processes through the entry
 * stub, on every gate setting: {@code RING0_GATE} unset (syscall), {@code
 * syscall} and {@code int80}. Covers {@code examples/hello.tal} and {@code
 * examples/cat.tal}, the gate selection, the argument array and stack, and
 * every kernel service with its Linux meaning and error cases.
 */
class LinuxRunTest {
    /** The gate settings; null means RING0_GATE is not set. */
    static final List<String> GATES = Arrays.asList(null, "syscall", "int80");
    private static final long FIVE_GIB = 5L << 30;

    @TempDir static Path dir;
    private static Path hello, cat, ids, clock, alloc, heap, arrays, stop, files, args, registers, deep, tooDeep;
    private static byte[] big;

    @BeforeAll
    static void build() throws IOException {
        Path examples = LinuxProcess.examples();
        hello = LinuxProcess.build(dir, "hello", Files.readString(examples.resolve("hello.tal")));
        cat = LinuxProcess.build(dir, "cat", Files.readString(examples.resolve("cat.tal")));
        ids = LinuxProcess.build(dir, "ids", LinuxPrograms.IDS);
        clock = LinuxProcess.build(dir, "clock", LinuxPrograms.CLOCK);
        alloc = LinuxProcess.build(dir, "alloc", LinuxPrograms.ALLOC);
        heap = LinuxProcess.build(dir, "heap", LinuxPrograms.HEAP);
        arrays = LinuxProcess.build(dir, "arrays", LinuxPrograms.ARRAYS);
        stop = LinuxProcess.build(dir, "stop", LinuxPrograms.STOP);
        files = LinuxProcess.build(dir, "files", LinuxPrograms.FILES);
        args = LinuxProcess.build(dir, "args", LinuxPrograms.ARGS);
        registers = LinuxProcess.build(dir, "registers", LinuxPrograms.registers());
        deep = LinuxProcess.build(dir, "deep", LinuxPrograms.recursion(100_000));        // 6.4 MB of frames
        tooDeep = LinuxProcess.build(dir, "toodeep", LinuxPrograms.recursion(200_000));  // 12.8 MB: more than 8 MiB
        big = new byte[5 << 20];
        new Random(5).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        Files.write(dir.resolve("empty.txt"), new byte[0]);
        Files.writeString(dir.resolve("small.txt"), "small file\nsecond line\n");
        Files.writeString(dir.resolve("digits"), "0123456789");
        Files.writeString(dir.resolve("statme"), "only fstat'ed, never read");
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("sparse").toFile(), "rw")) {
            f.setLength(FIVE_GIB);
        }
    }

    private static LinuxProcess.Result run(String gate, Path stdin, Path exe, String... arguments) throws Exception {
        return LinuxProcess.run(dir, gate, stdin, exe, arguments);
    }

    private static long number(List<String> lines, int line) {
        return Long.parseLong(lines.get(line - 1));
    }

    // ---- hello and cat ------------------------------------------------------------------

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void helloPrintsExactly(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, null, hello);
        assertThat(r.out()).isEqualTo("hello, world\n");
        assertThat(r.exit()).isZero();
        assertThat(r.stderr()).isEmpty();
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void catReproducesFiles(String gate) throws Exception {
        for (String name : List.of("empty.txt", "small.txt", "big.bin")) {
            LinuxProcess.Result r = run(gate, null, cat, name);
            assertThat(r.stdout()).as(name).isEqualTo(Files.readAllBytes(dir.resolve(name)));
            assertThat(r.exit()).as(name).isZero();
            assertThat(r.stderr()).as(name).isEmpty();
        }
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void catCopiesStdin(String gate) throws Exception {
        assertThat(run(gate, dir.resolve("small.txt"), cat).stdout()).isEqualTo(Files.readAllBytes(dir.resolve("small.txt")));
        LinuxProcess.Result r = run(gate, dir.resolve("big.bin"), cat);
        assertThat(r.stdout()).isEqualTo(big);
        assertThat(r.exit()).isZero();
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void catConcatenatesInOrder(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, dir.resolve("small.txt"), cat, "big.bin", "empty.txt", "small.txt", "-", "small.txt");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] small = Files.readAllBytes(dir.resolve("small.txt"));
        expected.writeBytes(big);
        for (int i = 0; i < 3; i++) expected.writeBytes(small);
        assertThat(r.stdout()).isEqualTo(expected.toByteArray());
        assertThat(r.exit()).isZero();
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void catReportsAMissingFile(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, null, cat, "small.txt", "no-such-file", "small.txt");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("cat: cannot open no-such-file\n");
        assertThat(r.out()).isEqualTo(Files.readString(dir.resolve("small.txt")).repeat(2));
    }

    @Test
    void invalidGateExits127() throws Exception {
        for (String gate : List.of("", "SYSCALL", "int", "int80x", "int 80", "sysenter", "syscall\t")) {
            LinuxProcess.Result r = run(gate, null, hello);
            assertThat(r.exit()).as("'%s'", gate).isEqualTo(LinuxStub.EXIT_STUB_FAILURE).isEqualTo(127);
            assertThat(r.stderr()).as("'%s'", gate).isEqualTo("ring0: RING0_GATE must be syscall or int80\n");
            assertThat(r.stdout()).isEmpty();
        }
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void stubReportsWhenTheStackCannotBeMapped(String gate) throws Exception {
        // 4 MB of address space is enough to exec the file, not to map an 8 MiB stack.
        LinuxProcess.Result r = LinuxProcess.run(dir, gate, null, List.of("/bin/sh", "-c", "ulimit -v 4000; exec \"$0\"", hello.toString()));
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.stderr()).isEqualTo(LinuxStub.NO_MEMORY_MESSAGE).isEqualTo("ring0: cannot map the program stack\n");
        assertThat(r.stdout()).isEmpty();
    }

    // ---- the entry contract ---------------------------------------------------------------

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void argumentArrayAndStack(String gate) throws Exception {
        String longArg = "x".repeat(10_000);
        List<String> given = List.of("", "two words", "tab\there", "'quoted'", longArg);
        LinuxProcess.Result r = run(gate, null, args, given.toArray(String[]::new));
        assertThat(r.exit()).isZero();
        List<String> lines = r.lines();
        long rsp = number(lines, 1), array = number(lines, 2);
        assertThat(rsp % 16).as("rsp at the entry label").isEqualTo(8);
        assertThat(array).as("the array sits right above the stack").isEqualTo(rsp + 8);
        if ("int80".equals(gate)) {
            assertThat(rsp).isLessThan(1L << 32);
            assertThat(array).isLessThan(1L << 32);
        }
        assertThat(number(lines, 3)).as("argc").isEqualTo(1 + given.size());
        assertThat(lines.get(4)).as("argument 0 is the program path").isEqualTo(args.toString());
        for (int i = 0; i < given.size(); i++) {
            int at = 3 + 3 * (i + 1);
            assertThat(number(lines, at + 1)).as("length of argument %d", i + 1).isEqualTo(given.get(i).length());
            assertThat(lines.get(at + 1)).isEqualTo(given.get(i));
            assertThat(number(lines, at + 3)).as("NUL after argument %d", i + 1).isZero();
        }
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void stackHolds8MiBAndAPollStopsTheProgramAtTheLimit(String gate) throws Exception {
        LinuxProcess.Result ok = run(gate, null, deep);
        assertThat(ok.out()).isEqualTo("1\n");
        assertThat(ok.exit()).isZero();
        LinuxProcess.Result overflow = run(gate, null, tooDeep);
        assertThat(overflow.exit()).as("stopped by a poll, not killed by SIGSEGV on the guard page")
                .isEqualTo(LinuxStub.EXIT_STOPPED);
        assertThat(overflow.stderr()).isEqualTo(LinuxStub.STOPPED_MESSAGE);
        assertThat(overflow.stdout()).isEmpty();
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void calleeSavedRegistersSurviveEveryService(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, null, registers);
        assertThat(r.out()).as("0, or the number of the call that broke a register").isEqualTo("0\n");
        assertThat(r.exit()).isZero();
    }

    // ---- services ----------------------------------------------------------------------

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void getpidAndGetppid(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, null, ids);
        assertThat(r.exit()).isZero();
        assertThat(number(r.lines(), 1)).as("getpid").isEqualTo(r.pid());
        assertThat(number(r.lines(), 2)).as("getppid").isEqualTo(ProcessHandle.current().pid());
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void clockIsMonotonicNanoseconds(String gate) throws Exception {
        long before = System.nanoTime(); // CLOCK_MONOTONIC on Linux
        LinuxProcess.Result r = run(gate, null, clock);
        long after = System.nanoTime();
        assertThat(r.exit()).isZero();
        long t1 = number(r.lines(), 1), t2 = number(r.lines(), 2);
        assertThat(t1).isBetween(before, after);
        assertThat(t2).isBetween(t1, after);
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void allocGivesZeroedWritableMemoryOrNull(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, null, alloc);
        assertThat(r.exit()).isZero();
        assertThat(r.stderr()).isEmpty();
        List<String> lines = r.lines();
        assertThat(lines).hasSize(11);
        for (int block : new int[] {0, 3}) {
            long address = number(lines, block + 1);
            assertThat(address).as("block %d", block).isPositive();
            assertThat(address % 8).isZero();
            assertThat(number(lines, block + 2)).as("sum of the fresh bytes").isZero();
            assertThat(number(lines, block + 3)).as("written and read back").isEqualTo(77);
            if ("int80".equals(gate)) assertThat(address).as("int80 memory is below 4 GiB").isLessThan(1L << 32);
        }
        assertThat(number(lines, 7)).as("alloc(0) gives a block").isPositive();
        assertThat(number(lines, 8)).as("alloc(2^40 + 1)").isZero();
        assertThat(number(lines, 9)).as("alloc(-1)").isZero();
        assertThat(number(lines, 10)).as("alloc(2^47 + 1)").isZero();
        if ("int80".equals(gate)) {
            assertThat(number(lines, 11)).as("alloc(2^40) cannot be below 4 GiB").isZero();
        } else {
            assertThat(number(lines, 11)).as("alloc(2^40): a mapping or null").isNotNegative();
        }
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void smallAllocationsComeFromChunks(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, null, heap);
        assertThat(r.exit()).isZero();
        assertThat(number(r.lines(), 1)).as("blocks that were null, unaligned or not zero").isZero();
        assertThat(number(r.lines(), 2)).as("changes of 1 MiB region over 9.6 MB of blocks").isBetween(9L, 40L);
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void newbytesAndNewwordsGiveZeroedArraysOrNull(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, null, arrays);
        assertThat(r.exit()).isZero();
        assertThat(r.stderr()).isEmpty();
        List<String> lines = r.lines();
        assertThat(lines).hasSize(6 * 4 + 6);
        long[][] expected = {  // non-null, length word, sum, last element written and read back
            {1, 10, 0, 99}, {1, 0, 0, 0}, {1, 1_000_000, 0, 99},
            {1, 3, 0, -5}, {1, 0, 0, 0}, {1, 200_000, 0, -5},
        };
        for (int a = 0; a < expected.length; a++) {
            for (int k = 0; k < 4; k++) {
                assertThat(number(lines, 4 * a + k + 1)).as("array %d, value %d", a, k).isEqualTo(expected[a][k]);
            }
        }
        assertThat(lines.subList(24, 28)).as("newbytes and newwords of 2^40 + 1 and -1").containsOnly("0");
        if ("int80".equals(gate)) {
            assertThat(lines.subList(28, 30)).as("2^40 elements cannot be below 4 GiB").containsOnly("0");
        } else {
            assertThat(lines.subList(28, 30)).as("2^40 elements: a mapping or null").allMatch(l -> l.equals("0") || l.equals("1"));
        }
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void stopEndsTheProgram(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, null, stop);
        assertThat(r.out()).isEqualTo("before\n");
        assertThat(r.stderr()).isEqualTo(LinuxStub.STOPPED_MESSAGE).isEqualTo("ring0: stopped: stack limit reached\n");
        assertThat(r.exit()).isEqualTo(LinuxStub.EXIT_STOPPED).isEqualTo(134);
    }

    private LinuxProcess.Result runFiles(String gate) throws Exception {
        LinuxProcess.Result r = run(gate, null, files, "digits", "no-such-file", "sparse", "statme");
        assertThat(r.exit()).as("exit(42) ends the program").isEqualTo(42);
        assertThat(r.stderr()).isEmpty();
        assertThat(r.lines()).hasSize(42);
        return r;
    }

    @ParameterizedTest(name = "gate {0}")
    @FieldSource("GATES")
    void fileServices(String gate) throws Exception {
        List<String> l = runFiles(gate).lines();
        assertThat(number(l, 1)).as("open").isGreaterThanOrEqualTo(3);
        assertThat(number(l, 2)).as("fstat").isZero();
        assertThat(number(l, 3)).as("st_size").isEqualTo(10);
        assertThat(number(l, 4)).as("lseek to the end").isEqualTo(10);
        assertThat(number(l, 5)).as("lseek to 3").isEqualTo(3);
        assertThat(number(l, 6)).as("read 4").isEqualTo(4);
        assertThat(l.get(6)).as("the bytes read").isEqualTo("3456");
        assertThat(number(l, 8)).as("read with count > buffer length").isEqualTo(-14);
        assertThat(number(l, 9)).as("write with count > buffer length").isEqualTo(-14);
        assertThat(number(l, 10)).as("lseek beyond 4 GiB").isEqualTo(FIVE_GIB);
        assertThat(number(l, 11)).as("lseek to -1").isEqualTo(-22);
        assertThat(number(l, 12)).as("close").isZero();
        assertThat(number(l, 13)).as("close again").isEqualTo(-9);
        assertThat(number(l, 14)).as("open a missing file").isEqualTo(-2);
        assertThat(number(l, 15)).as("open a 5 GiB file").isGreaterThanOrEqualTo(3);
        assertThat(number(l, 16)).as("fstat it").isZero();
        assertThat(number(l, 17)).as("its st_size").isEqualTo(FIVE_GIB);
        assertThat(number(l, 18)).as("lseek to its end").isEqualTo(FIVE_GIB);
        assertThat(number(l, 19)).as("open").isGreaterThanOrEqualTo(3);
        assertThat(number(l, 20)).as("fstat").isZero();
        assertThat(number(l, 39)).as("fstat into 143 bytes").isEqualTo(-14);
        assertThat(number(l, 40)).as("open a 4096-byte path").isEqualTo(-36);
        assertThat(number(l, 41)).as("open a path with a NUL").isEqualTo(-22);
        assertThat(number(l, 42)).as("open a 4095-byte path").isGreaterThanOrEqualTo(3);
    }

    @Test
    void fstatGivesTheSameStructOnBothGatesAndMatchesJava() throws Exception {
        List<String> sys = runFiles("syscall").lines().subList(20, 38);
        List<String> i80 = runFiles("int80").lines().subList(20, 38);
        assertThat(i80).as("int80 converts stat64 into the same struct stat").isEqualTo(sys);
        long[] w = sys.stream().mapToLong(Long::parseLong).toArray();
        Map<String, Object> a = Files.readAttributes(dir.resolve("statme"), "unix:*", LinkOption.NOFOLLOW_LINKS);
        assertThat(w[0]).as("st_dev").isEqualTo(a.get("dev"));
        assertThat(w[1]).as("st_ino").isEqualTo(a.get("ino"));
        assertThat(w[2]).as("st_nlink").isEqualTo(((Integer) a.get("nlink")).longValue());
        assertThat(w[3] & 0xffff_ffffL).as("st_mode").isEqualTo(((Integer) a.get("mode")).longValue());
        assertThat(w[3] >>> 32).as("st_uid").isEqualTo(((Integer) a.get("uid")).longValue());
        assertThat(w[4]).as("st_gid, __pad0").isEqualTo(((Integer) a.get("gid")).longValue());
        assertThat(w[5]).as("st_rdev").isEqualTo(a.get("rdev"));
        assertThat(w[6]).as("st_size").isEqualTo(a.get("size"));
        assertThat(w[7]).as("st_blksize").isPositive();
        assertThat(w[8]).as("st_blocks").isNotNegative();
        assertTime(w[9], w[10], (FileTime) a.get("lastAccessTime"), "atime");
        assertTime(w[11], w[12], (FileTime) a.get("lastModifiedTime"), "mtime");
        assertTime(w[13], w[14], (FileTime) a.get("ctime"), "ctime");
        assertThat(Arrays.copyOfRange(w, 15, 18)).as("__unused").containsOnly(0L);
    }

    private static void assertTime(long seconds, long nanos, FileTime t, String what) {
        assertThat(seconds).as(what).isEqualTo(t.toInstant().getEpochSecond());
        assertThat(nanos).as(what + " nanoseconds").isEqualTo(t.toInstant().getNano());
    }

}
