package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import ring0.abi.Service;

/** The image layout described in {@link Program}'s Javadoc, and symbols. */
class LayoutTest {

    @Test
    void helloLayout() {
        Program p = Asm.ok("""
                import write, exit
                main:
                    lea rsi, [rel msg]
                    ret
                section .data
                msg: bytes "hi"
                """);
        assertThat(p.sourceName()).isEqualTo("t.tal");
        assertThat(p.rwOffset()).isEqualTo(4096);
        assertThat(p.imports()).containsExactly(Service.STOP, Service.WRITE, Service.EXIT);
        assertThat(p.limitOffset()).isEqualTo(4096);
        assertThat(p.slotOffset(0)).isEqualTo(4112);
        assertThat(p.slotOffset(2)).isEqualTo(4128);
        assertThat(p.dataOffset()).isEqualTo(4144);
        assertThat(Asm.hex(p.data())).isEqualTo("02 00 00 00 00 00 00 00 68 69");
        assertThat(p.entryOffset()).isEqualTo(8);
        assertThat(p.symbols()).containsExactly(
                new Program.Symbol("__stop", Program.Section.TEXT, 0, 8),
                new Program.Symbol("main", Program.Section.TEXT, 8, p.text().length - 8),
                new Program.Symbol("msg", Program.Section.DATA, 4144, 10));
    }

    @Test
    void rwOffsetIsTextRoundedUpToAPageAndAtLeastOnePage() {
        assertThat(Asm.ok("main: ret").rwOffset()).isEqualTo(4096);
        // the stop block and main's poll take 17 bytes
        assertThat(Asm.ok("main:\n" + "nop\n".repeat(4096 - 17)).rwOffset()).isEqualTo(4096);
        assertThat(Asm.ok("main:\n" + "nop\n".repeat(4096 - 16)).rwOffset()).isEqualTo(8192);
    }

    @Test
    void dataOffsetFollowsTheSlotsSixteenAligned() {
        String[] imports = {"", "import exit\n", "import exit, read\n", "import exit, read, write\n"};
        int[] expected = {4128, 4128, 4144, 4144};  // 16 bytes of control words, stop's slot, the others
        for (int k = 0; k < imports.length; k++) {
            Program p = Asm.ok(imports[k] + "main: ret\n");
            assertThat(p.dataOffset()).as(imports[k]).isEqualTo(expected[k]);
            assertThat(p.imports()).hasSize(k + 1);
        }
    }

    @Test
    void importsKeepSourceOrderAcrossDirectives() {
        Program p = Asm.ok("import clock\nmain: ret\nimport getpid, alloc\n");
        assertThat(p.imports()).containsExactly(Service.STOP, Service.CLOCK, Service.GETPID, Service.ALLOC);
    }

    @Test
    void stopIsAlwaysSlotZeroAndImportingItOnlyMakesTheNameUsable() {
        Program p = Asm.ok("import write, stop\nmain: call [rel stop]\n");
        assertThat(p.imports()).containsExactly(Service.STOP, Service.WRITE);
        int call = Asm.STOP_BLOCK + Asm.poll(p, "main").length;
        assertThat(Asm.hex(java.util.Arrays.copyOfRange(p.text(), call, p.text().length)))
                .isEqualTo(Asm.hex(Asm.code(new ring0.isa.Insn.CallInd(ring0.isa.Mem.rip(p.slotOffset(0) - call - 6)))));
        assertThat(Asm.errors("main: call [rel stop]\n"))
                .containsExactly("t.tal:1:17: error: 'stop' is not imported (add 'import stop')");
    }

    @Test
    void entryDefaultsToMainAndCanBeNamed() {
        Program p = Asm.ok("entry start\nhelper: ret\nstart: nop\n ret\n");
        assertThat(p.entryOffset()).isEqualTo(Asm.STOP_BLOCK + 9 + 1).isEqualTo(Asm.symbol(p, "start").imageOffset());
    }

    @Test
    void sectionsContinueWhereTheyLeftOff() {
        Program p = Asm.ok("""
                section .data
                a: db 1
                section .text
                main: nop
                section .data
                b: db 2
                section .text
                f: ret
                """);
        assertThat(Asm.hex(p.text())).isEqualTo(String.join(" ", Asm.hex(Asm.stopBlock(p)), Asm.hex(Asm.poll(p, "main")),
                "90", Asm.hex(Asm.poll(p, "f")), "c3"));
        assertThat(Asm.hex(p.data())).isEqualTo("01 02");
        assertThat(Asm.symbol(p, "f").imageOffset()).isEqualTo(Asm.STOP_BLOCK + 9 + 1);
        assertThat(Asm.symbol(p, "b").imageOffset()).isEqualTo(p.dataOffset() + 1);
    }

    @Test
    void symbolSizesRunToTheNextLabelOfTheSameSection() {
        Program p = Asm.ok("""
                main:
                    nop
                .a:
                .b: nop
                    nop
                f:  ret
                section .data
                x: dq 1
                y: db 1
                """);
        // each label's region starts with its 9-byte poll
        assertThat(p.symbols()).containsExactly(
                new Program.Symbol("__stop", Program.Section.TEXT, 0, 8),
                new Program.Symbol("main", Program.Section.TEXT, 8, 9 + 1),
                new Program.Symbol("main.a", Program.Section.TEXT, 18, 9),
                new Program.Symbol("main.b", Program.Section.TEXT, 27, 9 + 2),
                new Program.Symbol("f", Program.Section.TEXT, 38, 9 + 1),
                new Program.Symbol("x", Program.Section.DATA, p.dataOffset(), 8),
                new Program.Symbol("y", Program.Section.DATA, p.dataOffset() + 8, 1));
    }

    @Test
    void programListsAreImmutableCopies() {
        Program p = Asm.ok("main: ret");
        assertThat(p.symbols()).isUnmodifiable();
        assertThat(p.annotations()).isEqualTo(List.of());
    }
}
