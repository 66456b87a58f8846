package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ring0.abi.Service;
import ring0.elf.ElfImage;
import ring0.elf.ElfReader;
import ring0.elf.MalformedElfException;

/**
 * The ELF writer: binutils read its files without complaint, the strict
 * reader gives back exactly the program that was written, the layout is the
 * documented one, and the result runs on Linux.
 */
class ElfWriterTest {
    @TempDir Path dir;

    private Path save(String name, byte[] elf) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, elf);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    private static void assertRoundTrip(Program p, byte[] types) throws MalformedElfException {
        byte[] elf = ElfWriter.write(p, types);
        ElfImage img = ElfReader.read(elf);
        assertThat(img.textVaddr()).isEqualTo(ElfWriter.IMAGE_ADDRESS);
        assertThat(img.text()).isEqualTo(p.text());
        assertThat(img.rwOffset()).isEqualTo(p.rwOffset());
        assertThat(img.imports()).isEqualTo(p.imports());
        assertThat(img.dataOffset()).isEqualTo(p.dataOffset());
        assertThat(img.data()).isEqualTo(p.data());
        assertThat(img.entryOffset()).isEqualTo(p.entryOffset());
        assertThat(img.symbols()).containsExactlyElementsOf(p.symbols().stream()
                .map(s -> new ElfImage.Symbol(s.name(), s.imageOffset(), s.size(), s.section() == Program.Section.TEXT))
                .toList());
        assertThat(img.types()).isEqualTo(types);
        assertThat(img.textFileOffset()).isEqualTo(0x1000);
        if (types == null) {
            assertThat(img.typesFileOffset()).isEqualTo(-1);
        } else {
            assertThat(java.util.Arrays.copyOfRange(elf, (int) img.typesFileOffset(), (int) img.typesFileOffset() + types.length))
                    .isEqualTo(types);
        }
    }

    @Test
    void readerRoundTripsHello() throws Exception {
        assertRoundTrip(ElfTestPrograms.hello(), null);
        assertRoundTrip(ElfTestPrograms.hello(), new byte[] {1, 2, 3, 4, 5});
        assertRoundTrip(ElfTestPrograms.hello(), new byte[0]);
    }

    @Test
    void readerRoundTripsRandomPrograms() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 300; i++) {
            byte[] types = null;
            if (rnd.nextBoolean()) {
                types = new byte[rnd.nextInt(300)];
                rnd.nextBytes(types);
            }
            assertRoundTrip(ElfTestPrograms.random(rnd), types);
        }
    }

    @Test
    void layoutIsTheDocumentedOne() {
        Program p = ElfTestPrograms.hello();
        ElfTestFile f = new ElfTestFile(ElfWriter.write(p));
        assertThat(f.u16(0x10)).as("e_type").isEqualTo(2);
        assertThat(f.u16(0x38)).as("e_phnum").isEqualTo(5);
        // {type, flags, offset, vaddr, size}
        long stub = f.u64(f.sectionHeader(".ring0.stub") + 0x10);
        long[][] expected = {
            {1, 4, 0, 0x400000, 64 + 5 * 56},
            {1, 5, 0x1000, 0x401000, p.text().length},
            {1, 6, 0x1000 + p.rwOffset(), 0x401000 + p.rwOffset(), p.dataOffset() + p.data().length - p.rwOffset()},
            {1, 5, stub - 0x400000, stub, f.sectionSize(".ring0.stub")},
            {0x6474e551, 6, 0, 0, 0},
        };
        for (int i = 0; i < expected.length; i++) {
            int h = f.programHeader(i);
            assertThat(new long[] {f.u32(h), f.u32(h + 4), f.u64(h + 8), f.u64(h + 16), f.u64(h + 32)})
                    .as("program header %d", i).isEqualTo(expected[i]);
            assertThat(f.u64(h + 40)).as("memsz %d", i).isEqualTo(f.u64(h + 32));
        }
        assertThat(stub % 4096).isZero();
        assertThat(stub).isGreaterThan(0x401000L + p.dataOffset() + p.data().length - 1);
        assertThat(f.u64(0x18)).as("e_entry is _start, the stub's first byte").isEqualTo(stub);
        assertThat(f.sectionOffset(".ring0.imports")).isEqualTo(0x1000 + p.rwOffset());
        assertThat(f.sectionOffset(".data")).isEqualTo(0x1000 + p.dataOffset());
    }

    @Test
    void metaSectionBytes() {
        ElfTestFile f = new ElfTestFile(ElfWriter.write(ElfTestPrograms.hello()));
        int m = f.sectionOffset(".ring0.meta");
        byte[] expected = {
            'R', 'I', 'N', 'G', '0', 0, 0, 0, 2, 0, 0, 0,
            0, 0, 0, 0,             // entry offset 0
            0, 0x10, 0, 0,          // rwOffset 0x1000
            0x20, 0x10, 0, 0,       // dataOffset 0x1020: limit word, reserved word, one slot, padding
            1, 0,                   // one import
            5, 'w', 'r', 'i', 't', 'e',
        };
        assertThat(f.sectionSize(".ring0.meta")).isEqualTo(expected.length);
        assertThat(java.util.Arrays.copyOfRange(f.bytes, m, m + expected.length)).isEqualTo(expected);
    }

    @Test
    void programWithoutImportsOrData() throws Exception {
        Program p = new Program("ret.tal", new byte[] {0x31, (byte) 0xc0, (byte) 0xc3}, 4096, List.of(), 4096 + 16,
                new byte[0], List.of(new Program.Symbol("main", Program.Section.TEXT, 0, 3)), 0, List.of());
        assertRoundTrip(p, null);
        Path exe = save("ret", ElfWriter.write(p));
        assertThat(ElfTestProcess.run(dir, Map.of(), List.of(exe.toString())).exit()).isZero();
    }

    @Test
    void symbolNamesUpToTheReadersLimit() throws Exception {
        Program ok = withLabel("n".repeat(4096));
        assertRoundTrip(ok, null);
        assertThatThrownBy(() -> ElfWriter.write(withLabel("n".repeat(4097))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
        assertThatThrownBy(() -> ElfWriter.write(withLabel("tab\there")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not printable");
    }

    private static Program withLabel(String name) {
        return new Program("x.tal", new byte[] {(byte) 0xc3}, 4096, List.of(), 4096 + 16, new byte[0],
                List.of(new Program.Symbol(name, Program.Section.TEXT, 0, 1)), 0, List.of());
    }

    @Test
    void readelfReportsNothingWrong() throws Exception {
        assumeTrue(ElfTestProcess.available("readelf"), "readelf not installed");
        Random rnd = new Random(7);
        Map<String, byte[]> files = Map.of(
                "hello", ElfWriter.write(ElfTestPrograms.hello()),
                "typed", ElfWriter.write(ElfTestPrograms.hello(), new byte[] {9, 9, 9}),
                "random", ElfWriter.write(ElfTestPrograms.random(rnd)));
        for (var e : files.entrySet()) {
            Path f = save(e.getKey(), e.getValue());
            ElfTestProcess.Result r = ElfTestProcess.run(dir, Map.of(), List.of("readelf", "-a", "-W", f.toString()));
            assertThat(r.exit()).as(e.getKey()).isZero();
            assertThat(r.stderr()).as(e.getKey()).isEmpty();
            assertThat(r.stdout().toLowerCase()).as(e.getKey()).doesNotContain("warning").doesNotContain("error");
            assertThat(r.stdout()).contains("EXEC (Executable file)", "Advanced Micro Devices X86-64",
                    ".ring0.stub", ".ring0.meta", "GNU_STACK", "_start");
        }
        ElfTestProcess.Result r = ElfTestProcess.run(dir, Map.of(), List.of("readelf", "-s", "-W", dir.resolve("hello").toString()));
        assertThat(r.stdout()).containsPattern("FUNC +LOCAL +DEFAULT +1 main\\b")
                .containsPattern("OBJECT +LOCAL +DEFAULT +3 msg\\b")
                .containsPattern("OBJECT +LOCAL +DEFAULT +2 write@slot\\b")
                .containsPattern("OBJECT +LOCAL +DEFAULT +2 __limit\\b")
                .containsPattern("OBJECT +LOCAL +DEFAULT +2 __reserved\\b")
                .containsPattern("FUNC +GLOBAL +DEFAULT +4 _start\\b")
                .containsPattern("FUNC +LOCAL +DEFAULT +4 thunk.int80.write\\b");
        r = ElfTestProcess.run(dir, Map.of(), List.of("readelf", "-x", ".ring0.types", dir.resolve("typed").toString()));
        assertThat(r.stdout()).contains("090909");
    }

    @Test
    void objdumpDisassemblesCleanly() throws Exception {
        assumeTrue(ElfTestProcess.available("objdump"), "objdump not installed");
        Path f = save("hello", ElfWriter.write(ElfTestPrograms.hello()));
        ElfTestProcess.Result r = ElfTestProcess.run(dir, Map.of(), List.of("objdump", "-d", "-w", f.toString()));
        assertThat(r.exit()).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).contains("<main>:", "<main.done>:", "<_start>:", "<thunk.syscall.write>:",
                        "<thunk.int80.write>:", "call   *0xff5(%rip)        # 402010 <write@slot>", "syscall", "int    $0x80")
                .doesNotContain("(bad)").doesNotContain("unknown");
    }

    @Test
    void runsOnBothGates() throws Exception {
        Path f = save("hello", ElfWriter.write(ElfTestPrograms.hello()));
        Map<String, String> unset = new HashMap<>();
        unset.put(LinuxStub.GATE_VARIABLE, null);
        for (Map<String, String> env : List.of(unset, Map.of("RING0_GATE", "syscall"), Map.of("RING0_GATE", "int80"))) {
            ElfTestProcess.Result r = ElfTestProcess.run(dir, env, List.of(f.toString()));
            assertThat(r.exit()).as(env.toString()).isZero();
            assertThat(r.stdout()).as(env.toString()).isEqualTo(ElfTestPrograms.HELLO);
            assertThat(r.stderr()).as(env.toString()).isEmpty();
        }
        for (String bad : List.of("", "SYSCALL", "int8", "int800", "sysenter")) {
            ElfTestProcess.Result r = ElfTestProcess.run(dir, Map.of("RING0_GATE", bad), List.of(f.toString()));
            assertThat(r.exit()).as(bad).isEqualTo(127);
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).isEqualTo(LinuxStub.BAD_GATE_MESSAGE);
        }
    }

    @Test
    void stubSetsTheControlWords() throws Exception {
        Path f = save("control", ElfWriter.write(ElfTestPrograms.controlWords()));
        for (String gate : List.of("syscall", "int80")) {
            ElfTestProcess.Result r = ElfTestProcess.run(dir, Map.of(LinuxStub.GATE_VARIABLE, gate), List.of(f.toString(), "an argument"));
            assertThat(r.exit()).as("%s: the number of the failed check", gate).isZero();
        }
    }

    @Test
    void gdbCanBreakAtMain() throws Exception {
        assumeTrue(ElfTestProcess.available("gdb"), "gdb not installed");
        Path f = save("hello", ElfWriter.write(ElfTestPrograms.hello()));
        ElfTestProcess.Result r = ElfTestProcess.run(dir, Map.of(), List.of("gdb", "-nx", "-batch",
                "-ex", "break main", "-ex", "run", "-ex", "p (long)$rsp % 16", "-ex", "x/gx $rdi", f.toString()));
        assertThat(r.stdout()).contains("Breakpoint 1 at 0x401000", "Breakpoint 1, 0x0000000000401000 in main ()")
                .contains("$1 = 8")                        // rsp = 8 mod 16 at the entry label
                .containsPattern(":\\s+0x0000000000000001"); // argc = 1 in the argument array
    }

    @Test
    void onlyImportedServicesGetThunks() {
        Program p = ElfTestPrograms.hello();
        LinuxStub.Code stub = LinuxStub.build(p, ElfWriter.IMAGE_ADDRESS, 0x403000);
        assertThat(stub.symbols()).extracting(LinuxStub.Symbol::name).filteredOn(n -> n.startsWith("thunk."))
                .containsExactly("thunk.syscall.write", "thunk.int80.write");
        assertThat(stub.symbols().getFirst()).isEqualTo(new LinuxStub.Symbol("_start", 0, stub.symbols().getFirst().size()));
        Program all = new Program("all", new byte[] {(byte) 0xc3}, 4096, List.of(Service.values()),
                Program.dataOffsetFor(4096, Service.values().length), new byte[0], List.of(), 0, List.of());
        LinuxStub.Code full = LinuxStub.build(all, ElfWriter.IMAGE_ADDRESS, 0x403000);
        assertThat(full.symbols()).filteredOn(s -> s.name().startsWith("thunk.")).hasSize(2 * Service.values().length);
        int total = 0;
        for (LinuxStub.Symbol s : full.symbols()) total += s.size();
        assertThat(total).as("symbols tile the stub").isEqualTo(full.code().length);
    }
}
