package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import ring0.asm.Program.Annotation;
import ring0.asm.Program.Annotation.Kind;

/** The reserved type-annotation syntax is carried through verbatim with positions and offsets. */
class AnnotationTest {

    @Test
    void preconditionOnOneLine() {
        Program p = Asm.ok("main:\n    nop\nloop: {rax: int, rbx: ptr(list)}\n    ret\n");
        assertThat(p.annotations()).containsExactly(
                new Annotation(Kind.PRECONDITION, "loop", Asm.STOP_BLOCK + 9 + 1, "rax: int, rbx: ptr(list)", "t.tal", 3, 8));
    }

    @Test
    void preconditionOverSeveralLinesWithNestedBracesAndFacts() {
        // inside the braces ';' belongs to the type syntax (facts), not to a comment
        String src = """
                main:
                .loop: { rax: int, rbx: [int] |
                         code{rax: int | s} :: s; rax <= len(rbx) }  nop   ; a comment
                    ret
                """;
        Program p = Asm.ok(src);
        int loop = Asm.STOP_BLOCK + Asm.poll(p, "main").length;
        assertThat(p.annotations()).containsExactly(new Annotation(Kind.PRECONDITION, "main.loop", loop,
                " rax: int, rbx: [int] |\n         code{rax: int | s} :: s; rax <= len(rbx) ", "t.tal", 2, 9));
        assertThat(Asm.symbol(p, "main.loop").imageOffset()).isEqualTo(loop);
        assertThat(Asm.hex(p.text())).isEqualTo(Asm.hex(Asm.stopBlock(p)) + " " + Asm.hex(Asm.poll(p, "main")) + " "
                + Asm.hex(Asm.poll(p, "main.loop")) + " 90 c3");
    }

    @Test
    void preconditionTextMayHoldAnything() {
        Program p = Asm.ok("main: {\"unbalanced 'quotes, $ and @}\n ret\n");
        assertThat(p.annotations().getFirst().text()).isEqualTo("\"unbalanced 'quotes, $ and @");
    }

    @Test
    void preconditionOnADataLabelUsesItsAlignedOffset() {
        Program p = Asm.ok("main: ret\nsection .data\ndb 1\nmsg: {bytes} bytes \"x\"\n");
        assertThat(p.annotations().getFirst().imageOffset()).isEqualTo(p.dataOffset() + 8);
    }

    @Test
    void typeDeclarations() {
        Program p = Asm.ok("type list = {int, list}?   ; a linked list\n"
                + "TYPE f = code{rdi: int | s; rdi < 10}  ; ';' inside braces is text\nmain: ret\n");
        assertThat(p.annotations()).containsExactly(
                new Annotation(Kind.TYPE_DECL, "list", -1, "{int, list}?", "t.tal", 1, 13),
                new Annotation(Kind.TYPE_DECL, "f", -1, "code{rdi: int | s; rdi < 10}", "t.tal", 2, 10));
    }

    @Test
    void coercionsApplyToTheNextInstruction() {
        Program p = Asm.ok("""
                main:
                    nop
                    %unroll rbx      ; comment
                  % as rax : code{rax: int | s; rax != 0}  ; comment
                .inner:
                    inc rax
                    ret
                """);
        // they apply to inc rax, after the poll of .inner
        int inc = Asm.symbol(p, "main.inner").imageOffset() + Asm.poll(p, "main.inner").length;
        assertThat(p.annotations()).containsExactly(
                new Annotation(Kind.COERCION, "main", inc, "unroll rbx", "t.tal", 3, 6),
                new Annotation(Kind.COERCION, "main", inc, "as rax : code{rax: int | s; rax != 0}", "t.tal", 4, 5));
        assertThat(p.text()[inc]).isEqualTo((byte) 0x48);  // inc rax: REX.W FF /0
    }

    @Test
    void annotationsKeepSourceOrder() {
        Program p = Asm.ok("type t = int\nmain: {rax: t}\n %pack\n ret\n");
        assertThat(p.annotations()).extracting(Annotation::kind)
                .containsExactly(Kind.TYPE_DECL, Kind.PRECONDITION, Kind.COERCION);
    }

    @Test
    void errors() {
        assertThat(Asm.errors("main: ret\n %dangling\n")).containsExactly(
                "t.tal:2:3: error: coercion is not followed by an instruction");
        assertThat(Asm.errors("main: ret\nsection .data\n%x\n")).containsExactly(
                "t.tal:3:2: error: a coercion applies to an instruction: not allowed in .data");
        assertThat(Asm.errors("main: ret\nf: {rax: int\n nop\n")).containsExactly(
                "t.tal:2:4: error: unterminated precondition: missing '}'");
        assertThat(Asm.errors("%\nmain: ret\n")).containsExactly("t.tal:1:1: error: empty coercion after '%'");
        assertThat(Asm.errors("type t =   ; nothing\nmain: ret\n"))
                .containsExactly("t.tal:1:6: error: type 't' has no definition");
        assertThat(Asm.errors("type t\nmain: ret\n")).containsExactly("t.tal:1:1: error: expected 'type NAME = definition'");
        assertThat(Asm.errors("%x\n nop\nmain: ret\n")).containsExactly("t.tal:1:2: error: coercion outside any label");
    }
}
