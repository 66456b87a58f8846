package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import ring0.isa.Insn;

/** Labels, local labels and their scopes. */
class LabelTest {

    @Test
    void localLabelsAreScopedUnderThePreviousLabel() {
        Program p = Asm.ok("""
                main:
                .loop: jmp .loop
                f:
                .loop: jmp .loop
                    jmp main.loop
                """);
        // every label starts with a 9-byte poll here; a jump to a label lands on its poll
        assertThat(Asm.symbol(p, "main.loop").imageOffset()).isEqualTo(Asm.STOP_BLOCK + 9);
        assertThat(Asm.symbol(p, "f").imageOffset()).isEqualTo(Asm.STOP_BLOCK + 9 + 9 + 2);
        assertThat(Asm.symbol(p, "f.loop").imageOffset()).isEqualTo(Asm.STOP_BLOCK + 9 + 9 + 2 + 9);
        assertThat(Asm.hex(p.text())).isEqualTo(String.join(" ", Asm.hex(Asm.stopBlock(p)),
                Asm.hex(Asm.poll(p, "main")), Asm.hex(Asm.poll(p, "main.loop")), Asm.hex(Asm.code(new Insn.Jmp(-11, true))),
                Asm.hex(Asm.poll(p, "f")), Asm.hex(Asm.poll(p, "f.loop")),
                Asm.hex(Asm.code(new Insn.Jmp(-11, true), new Insn.Jmp(-(9 + 2 + 9 + 9 + 2 + 2), true)))));
    }

    @Test
    void localReferencesMayPointForward() {
        Program p = Asm.ok("main: jmp .end\n nop\n.end: ret\n");
        assertThat(Asm.hex(Asm.body(p))).isEqualTo(Asm.hex(Asm.code(new Insn.Jmp(1, true), new Insn.Nop())) + " "
                + Asm.hex(Asm.poll(p, "main.end")) + " c3");
    }

    @Test
    void dataLabelsDoNotChangeTheCodeScope() {
        Program p = Asm.ok("""
                main:
                section .data
                buf: db 0
                .inner: db 1
                section .text
                .loop: jmp .loop
                """);
        assertThat(Asm.symbol(p, "main.loop").imageOffset()).isEqualTo(Asm.STOP_BLOCK + Asm.poll(p, "main").length);
        assertThat(Asm.symbol(p, "buf.inner").imageOffset()).isEqualTo(p.dataOffset() + 1);
    }

    @Test
    void localReferenceToAnotherScopeIsUndefined() {
        assertThat(Asm.errors("main:\n.a: ret\nf: jmp .a\n"))
                .containsExactly("t.tal:3:8: error: undefined label '.a' (looked up as 'f.a')");
    }

    @Test
    void localLabelNeedsAnEnclosingLabel() {
        assertThat(Asm.errors(".x: nop\nmain: ret\n"))
                .containsExactly("t.tal:1:1: error: local label '.x' has no enclosing non-local label in this section");
    }

    @Test
    void duplicateLocalLabelsInOneScope() {
        assertThat(Asm.errors("main:\n.a: nop\n  .a: ret\n"))
                .containsExactly("t.tal:3:3: error: duplicate label 'main.a' (first defined at 2:1)");
    }

    @Test
    void labelsCannotBeRegistersOrKeywords() {
        assertThat(Asm.errors("main: ret\nrax: nop\nqword: nop\n")).containsExactly(
                "t.tal:2:1: error: 'rax' is a register name and cannot be a label",
                "t.tal:3:1: error: 'qword' is a reserved word and cannot be a label");
    }
}
