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
        assertThat(p.imports()).containsExactly(Service.WRITE, Service.EXIT);
        assertThat(p.slotOffset(1)).isEqualTo(4104);
        assertThat(p.dataOffset()).isEqualTo(4112);
        assertThat(Asm.hex(p.data())).isEqualTo("02 00 00 00 00 00 00 00 68 69");
        assertThat(p.entryOffset()).isZero();
        assertThat(p.symbols()).containsExactly(
                new Program.Symbol("main", Program.Section.TEXT, 0, p.text().length),
                new Program.Symbol("msg", Program.Section.DATA, 4112, 10));
    }

    @Test
    void rwOffsetIsTextRoundedUpToAPageAndAtLeastOnePage() {
        assertThat(Asm.ok("main: ret").rwOffset()).isEqualTo(4096);
        assertThat(Asm.ok("main:\n" + "nop\n".repeat(4096)).rwOffset()).isEqualTo(4096);
        assertThat(Asm.ok("main:\n" + "nop\n".repeat(4097)).rwOffset()).isEqualTo(8192);
    }

    @Test
    void dataOffsetFollowsTheSlotsSixteenAligned() {
        String[] imports = {"", "import exit\n", "import exit, read\n", "import exit, read, write\n"};
        int[] expected = {4096, 4112, 4112, 4128};
        for (int k = 0; k < imports.length; k++) {
            Program p = Asm.ok(imports[k] + "main: ret\n");
            assertThat(p.dataOffset()).as(imports[k]).isEqualTo(expected[k]);
            assertThat(p.imports()).hasSize(k);
        }
    }

    @Test
    void importsKeepSourceOrderAcrossDirectives() {
        Program p = Asm.ok("import clock\nmain: ret\nimport getpid, alloc\n");
        assertThat(p.imports()).containsExactly(Service.CLOCK, Service.GETPID, Service.ALLOC);
    }

    @Test
    void entryDefaultsToMainAndCanBeNamed() {
        Program p = Asm.ok("entry start\nhelper: ret\nstart: nop\n ret\n");
        assertThat(p.entryOffset()).isEqualTo(1);
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
        assertThat(Asm.hex(p.text())).isEqualTo("90 c3");
        assertThat(Asm.hex(p.data())).isEqualTo("01 02");
        assertThat(Asm.symbol(p, "f").imageOffset()).isEqualTo(1);
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
        assertThat(p.symbols()).containsExactly(
                new Program.Symbol("main", Program.Section.TEXT, 0, 1),
                new Program.Symbol("main.a", Program.Section.TEXT, 1, 0),
                new Program.Symbol("main.b", Program.Section.TEXT, 1, 2),
                new Program.Symbol("f", Program.Section.TEXT, 3, 1),
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
