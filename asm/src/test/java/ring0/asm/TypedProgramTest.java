package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import ring0.abi.Service;
import ring0.elf.ElfReader;
import ring0.isa.Cond;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;
import ring0.verify.Checker;
import ring0.verify.TypesSection;
import ring0.verify.TypesSection.DataKind;
import ring0.verify.Verified;

/**
 * What the assembler emits for the checker (docs/types.md §7, §11): the stop
 * block, a poll at every label, the implicit stop import, and the
 * {@code .ring0.types} section, with type errors reported at their source
 * position.
 */
class TypedProgramTest {
    private static final String MAIN = "main: {rdi: [bytes] | code{rax: int | s} :: s}\n";

    private static TypesSection types(Program p) throws Exception {
        assertThat(p.typed()).isTrue();
        return TypesSection.read(p.types());
    }

    @Test
    void stopBlockComesFirstAndCallsTheStopSlot() {
        Program p = Asm.typed(MAIN + "    xor eax, eax\n    ret\n");
        assertThat(p.imports()).containsExactly(Service.STOP);
        int slot = p.slotOffset(0);
        byte[] t = p.text();
        assertThat(Asm.hex(java.util.Arrays.copyOf(t, 8))).isEqualTo("ff 15 " + le32(slot - 6) + " eb f8");
        assertThat(Asm.symbol(p, "__stop")).isEqualTo(new Program.Symbol("__stop", Program.Section.TEXT, 0, 8));
    }

    private static String le32(int v) {
        return Asm.hex(new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)});
    }

    @Test
    void everyLabelStartsWithThePoll() throws Exception {
        StringBuilder src = new StringBuilder(MAIN + "    xor eax, eax\n");
        for (int i = 0; i < 20; i++) src.append(".l").append(i).append(": {rax: int | code{rax: int | s} :: s}\n")
                .append("    nop\n".repeat(i * 3));
        src.append("    ret\n");
        Program p = Asm.typed(src.toString());
        int rel8 = 0, rel32 = 0;
        for (Program.Symbol s : p.symbols()) {
            if (s.section() != Program.Section.TEXT || s.name().equals("__stop")) continue;
            Decoded cmp = Decoder.decode(p.text(), s.imageOffset(), p.text().length);
            int end = s.imageOffset() + cmp.length();
            assertThat(cmp.insn()).as(s.name())
                    .isEqualTo(new Insn.Alu(Insn.AluOp.CMP, Width.QWORD, Reg.RSP, Mem.rip(p.limitOffset() - end)));
            Decoded jbe = Decoder.decode(p.text(), end, p.text().length);
            Insn.Jcc j = (Insn.Jcc) jbe.insn();
            assertThat(j.cond()).isEqualTo(Cond.BE);
            assertThat(end + jbe.length() + j.rel()).as("%s jumps to the stop block", s.name()).isZero();
            if (j.rel8()) rel8++; else rel32++;
        }
        assertThat(rel8).as("polls that reach offset 0 with rel8").isPositive();
        assertThat(rel32).as("polls that need rel32").isPositive();
    }

    @Test
    void typesSectionDescribesLabelsDataAndCoercions() throws Exception {
        Program p = Asm.typed("""
                import alloc
                type pair = {int, int}
                main: {rdi: [bytes] | code{rax: int | s} :: s}
                    sub rsp, 8
                    mov edi, 16
                    %alloc pair
                    call [rel alloc]
                .done: {| junk :: code{rax: int | s} :: s}
                    add rsp, 8
                    mov rax, [rel counter]
                    ret
                section .data
                msg:     bytes "hi"
                alias:
                table:   words 1, 2, 3
                buf:     zbytes 100
                zs:      zwords 5
                counter: dq 7
                pairs:   dq 1, 2
                flags:   db 1
                """);
        TypesSection ts = types(p);
        assertThat(ts.env().names()).containsExactly("pair");
        assertThat(ts.labels()).extracting(TypesSection.LabelDecl::name).containsExactly("main", "main.done");
        assertThat(ts.labels()).extracting(TypesSection.LabelDecl::offset)
                .containsExactly(Asm.symbol(p, "main").imageOffset(), Asm.symbol(p, "main.done").imageOffset());
        assertThat(ts.labels().getFirst().text()).isEqualTo("{rdi: [bytes] | code{rax: int | s} :: s}");
        record D(String name, int offset, DataKind kind, long length) {}
        assertThat(ts.data()).map(d -> new D(d.name(), d.offset(), d.kind(), d.length())).containsExactly(
                new D("msg", Asm.symbol(p, "msg").imageOffset(), DataKind.BYTES, 2),
                new D("alias", Asm.symbol(p, "table").imageOffset(), DataKind.WORDS, 3),
                new D("buf", Asm.symbol(p, "buf").imageOffset(), DataKind.BYTES, 100),
                new D("zs", Asm.symbol(p, "zs").imageOffset(), DataKind.WORDS, 5),
                new D("counter", Asm.symbol(p, "counter").imageOffset(), DataKind.WORD, 1));
        assertThat(ts.coercions()).hasSize(1);
        int call = ts.coercions().getFirst().offset();
        assertThat(Decoder.decode(p.text(), call, p.text().length).insn()).isInstanceOf(Insn.CallInd.class);
        assertThat(ts.coercions().getFirst().text()).isEqualTo("alloc pair");
    }

    @Test
    void theWriterStoresTheSectionAndTheCheckerAcceptsAWellTypedProgram() throws Exception {
        Program p = Asm.typed("""
                import write
                main: {rdi: [bytes] | code{rax: int | s} :: s}
                    sub rsp, 8
                    mov edi, 1
                    lea rsi, [rel msg]
                    mov rdx, [rsi]
                    call [rel write]
                    xor eax, eax
                    add rsp, 8
                    ret
                section .data
                msg: bytes "hello", 10
                """);
        byte[] elf = ElfWriter.write(p);
        assertThat(ElfReader.read(elf).types()).isEqualTo(p.types());
        Verified v = Checker.check(elf, "t.tal");
        assertThat(v.labels()).extracting(Verified.LabelInfo::name).containsExactly("main");
    }

    @Test
    void untypedProgramsHaveNoSection() {
        String src = "main:\n    xor eax, eax\n    ret\n";
        assertThat(Asm.typedErrors(src)).containsExactly(
                "t.tal:1:1: error: label main has no type: give it a precondition, as in 'main: {...}', "
                        + "or declare the program 'untyped'");
        Program directive = Asm.typed("untyped\n" + src);
        assertThat(directive.types()).isNull();
        assertThat(directive.typed()).isFalse();
        assertThat(Asm.ok(src).types()).isNull();
        assertThat(directive.text()).isEqualTo(Asm.ok(src).text());
        assertThat(Asm.typedErrors("untyped\nmain: untyped\n"))
                .containsExactly("t.tal:2:7: error: a label cannot be followed by 'untyped'");
    }

    @Test
    void typeErrorsArePositioned() {
        assertThat(Asm.typedErrors("main: {rdi: int int | s}\n    ret\n"))
                .containsExactly("t.tal:1:17: error: precondition of main: expected '|', found 'int'");
        assertThat(Asm.typedErrors("main: {rdi: int |\n        s; rdi <> 3\n    }\n    ret\n"))
                .containsExactly("t.tal:2:17: error: precondition of main: unexpected character '>'");
        assertThat(Asm.typedErrors("type t = {int, nosuch}\n" + MAIN + "    ret\n"))
                .containsExactly("t.tal:1:16: error: type t: unbound type variable nosuch");
        assertThat(Asm.typedErrors(MAIN + "    %alloc {int, ?}\n    ret\n"))
                .containsExactly("t.tal:2:18: error: coercion 'alloc {int, ?}': expected a type, found '?'");
        assertThat(Asm.typedErrors(MAIN + "    %unpack rqx\n    ret\n")).containsExactly(
                "t.tal:2:13: error: coercion 'unpack rqx': expected a 64-bit register other than rsp, found 'rqx'");
    }

    @Test
    void typedProgramRules() {
        assertThat(Asm.typedErrors("    nop\n" + MAIN + "    ret\n")).containsExactly(
                "t.tal:1:5: error: instruction before the first label: in a typed program every instruction belongs "
                        + "to a label (or declare the program 'untyped')");
        assertThat(Asm.typedErrors(MAIN + "    ret\n__stop: {| s}\n    ret\n"))
                .containsExactly("t.tal:3:1: error: '__stop' is reserved for the stop block");
        assertThat(Asm.typedErrors(MAIN + "    ret\nsection .data\n    db 1\nx: dq 5\n")).containsExactly(
                "t.tal:5:1: error: 'x: dq' declares a global int, which must be 8-byte aligned: put 'align 8' before it");
        assertThat(Asm.typedErrors(MAIN + "    ret\nsection .data\nmsg: {bytes} bytes \"x\"\n")).containsExactly(
                "t.tal:4:7: error: data label 'msg' cannot have a precondition: its type follows from its directive "
                        + "(bytes, words, or dq of one value)");
        String longName = "l".repeat(256);
        assertThat(Asm.typedErrors(MAIN + "    ret\n" + longName + ": {| s}\n    ret\n")).singleElement().asString()
                .startsWith("t.tal:3:1: error: label name 'llllllllllllllllllll...' is longer than 255 characters");
    }

    @Test
    void importingStopExplicitlyIsAllowed() throws Exception {
        Program p = Asm.typed("import stop, write\n" + MAIN + "    ret\n");
        assertThat(p.imports()).containsExactly(Service.STOP, Service.WRITE);
        assertThat(types(p).labels()).hasSize(1);
        assertThat(List.of(Asm.typed(MAIN + "    ret\n").imports())).containsExactly(List.of(Service.STOP));
    }
}
