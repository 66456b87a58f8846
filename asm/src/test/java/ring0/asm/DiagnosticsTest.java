package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every diagnostic with its exact text and position. */
class DiagnosticsTest {

    /** Errors for {@code body}, each line indented by 4 spaces, after {@code main:} on line 1 (body from line 2). */
    private static List<String> errs(String body) {
        return Asm.errors("main:\n" + body.lines().map(l -> "    " + l + "\n").collect(Collectors.joining()));
    }

    @Test
    void formatIsFileLineColumnErrorMessage() {
        assertThat(new Diagnostic("cat.tal", 12, 5, "unknown mnemonic 'mvo'").toString())
                .isEqualTo("cat.tal:12:5: error: unknown mnemonic 'mvo'");
    }

    @Test
    void exceptionCollectsAllErrorsInSourceOrder() {
        String src = "main:\n    mvo eax, 1\n    jmp loop\n    mov al, 300\nmain: ret\n";
        AsmException e = catchThrowableOfType(AsmException.class, () -> Assembler.assemble(src, "cat.tal"));
        assertThat(e.diagnostics()).extracting(Diagnostic::toString).containsExactly(
                "cat.tal:2:5: error: unknown mnemonic 'mvo'",
                "cat.tal:3:9: error: undefined label 'loop'",
                "cat.tal:4:13: error: immediate 300 does not fit byte",
                "cat.tal:5:1: error: duplicate label 'main' (first defined at 1:1)");
        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.diagnostics().stream().map(Diagnostic::toString).toList()));
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.diagnostics().getFirst()).isEqualTo(new Diagnostic("cat.tal", 2, 5, "unknown mnemonic 'mvo'"));
    }

    @Test
    void manyErrorsAreCappedWithASummary() {
        List<String> e = Asm.errors("main:\n" + "  bad\n".repeat(150));
        assertThat(e).hasSize(Reporter.MAX_ERRORS + 1);
        assertThat(e.getLast()).isEqualTo("t.tal:101:3: error: 50 more errors not shown");
    }

    @Test
    void operands() {
        assertThat(errs("""
                    mov eax, [rax+rbx*3]
                    mov eax, [rsp*2]
                    mov eax, [eax]
                    mov eax, [0x1000]
                    mov eax, [rax + rbx + rcx]
                    mov eax, [rax*2 + rbx*2]
                    mov eax, [rbx - rcx]
                    mov eax, [rip + 8]
                    mov eax, [rbx + 0x80000000]
                    mov ah, 1
                    mov eax, rbx
                    mov [rax], 1
                    mov eax, byte 1
                    mov eax, rbx + 1
                    mov eax, [rax + rcx*rcx]""")).containsExactly(
                "t.tal:2:14: error: invalid operand '[rax+rbx*3]': scale must be 1, 2, 4 or 8",
                "t.tal:3:14: error: invalid operand '[rsp*2]': rsp cannot be an index register",
                "t.tal:4:14: error: invalid operand '[eax]': address registers must be 64-bit",
                "t.tal:5:14: error: invalid operand '[0x1000]': absolute addresses are not supported "
                        + "(the code is position-independent); use [rel label] or a base register",
                "t.tal:6:14: error: invalid operand '[rax + rbx + rcx]': at most two registers (base + index*scale)",
                "t.tal:7:14: error: invalid operand '[rax*2 + rbx*2]': only one register can be scaled",
                "t.tal:8:14: error: invalid operand '[rbx - rcx]': a register cannot be subtracted",
                "t.tal:9:14: error: invalid operand '[rip + 8]': write RIP-relative addresses as [rel label]",
                "t.tal:10:14: error: invalid operand '[rbx + 0x80000000]': displacement 2147483648 does not fit 32 bits",
                "t.tal:11:9: error: high-byte register 'ah' is not supported (use the low byte, e.g. al)",
                "t.tal:12:14: error: operand size mismatch: 'eax' is dword but 'rbx' is qword",
                "t.tal:13:9: error: operation size not specified",
                "t.tal:14:14: error: size keywords apply only to memory operands",
                "t.tal:15:14: error: register 'rbx' is not allowed in a constant (registers go alone or inside [ ])",
                "t.tal:16:24: error: cannot multiply two registers or labels");
    }

    @Test
    void immediates() {
        assertThat(errs("""
                    mov al, 300
                    mov ax, -32769
                    add rax, 0x80000000
                    mov qword [rbx], 0xffffffff
                    push 0x80000000
                    shl eax, 256
                    and rax, 0xffffffff00000000
                    cmp byte [rax], -129""")).containsExactly(
                "t.tal:2:13: error: immediate 300 does not fit byte",
                "t.tal:3:13: error: immediate -32769 does not fit word",
                "t.tal:4:14: error: immediate 2147483648 does not fit qword (a sign-extended 32-bit immediate)",
                "t.tal:5:22: error: immediate 4294967295 does not fit qword (a sign-extended 32-bit immediate)",
                "t.tal:6:10: error: immediate 2147483648 does not fit a sign-extended 32-bit immediate",
                "t.tal:7:14: error: shift count 256 is out of range 0..255",
                "t.tal:8:14: error: immediate 18446744069414584320 does not fit qword (a sign-extended 32-bit immediate)",
                "t.tal:9:21: error: immediate -129 does not fit byte");
    }

    @Test
    void instructionForms() {
        assertThat(errs("""
                    mvo eax, 1
                    mov eax
                    ret 8
                    imul eax
                    imul al, bl
                    imul eax, ebx, ecx
                    movzx eax, [rbx]
                    movzx rax, ecx
                    movsx al, bl
                    movsxd eax, ecx
                    lea ax, [rbx]
                    lea rax, rbx
                    shl rax, rcx
                    cmovz al, bl
                    setz eax
                    push eax
                    pop word [rax]
                    jmp eax
                    jmp 5
                    jz rax
                    call short main
                    mov 1, eax
                    mov [rax], [rbx]
                    inc 5
                    test eax, 1, 2
                    jmp short rax""")).containsExactly(
                "t.tal:2:5: error: unknown mnemonic 'mvo'",
                "t.tal:3:5: error: 'mov' takes 2 operands",
                "t.tal:4:5: error: 'ret' takes no operands",
                "t.tal:6:5: error: imul with two or three operands needs 16, 32 or 64-bit operands",
                "t.tal:7:20: error: the third operand of imul must be an immediate",
                "t.tal:8:16: error: operation size not specified",
                "t.tal:9:5: error: movzx has no 32-bit source form: a 32-bit mov already zero-extends to 64 bits",
                "t.tal:10:5: error: 'movsx' cannot extend byte to byte",
                "t.tal:11:5: error: movsxd needs a 64-bit destination and a 32-bit source",
                "t.tal:12:9: error: lea needs a 32 or 64-bit destination register",
                "t.tal:13:14: error: lea needs a memory operand",
                "t.tal:14:14: error: the shift count must be an immediate or cl",
                "t.tal:15:5: error: cmov needs 16, 32 or 64-bit operands",
                "t.tal:16:10: error: 'setz' needs a byte operand, but 'eax' is dword",
                "t.tal:17:10: error: 'push' needs a 64-bit register",
                "t.tal:18:9: error: 'pop' needs a qword operand, but 'word [rax]' is word",
                "t.tal:19:9: error: an indirect 'jmp' needs a 64-bit register",
                "t.tal:20:9: error: a branch target must be a label, a register or a memory operand",
                "t.tal:21:8: error: conditional jumps take a label",
                "t.tal:22:10: error: call has no short form",
                "t.tal:23:9: error: the destination cannot be an immediate",
                "t.tal:24:16: error: two memory operands",
                "t.tal:25:9: error: expected a register or memory operand, found immediate '5'",
                "t.tal:26:5: error: 'test' takes 2 operands",
                "t.tal:27:9: error: 'short' applies only to a branch target label");
    }

    @Test
    void labelsAndNames() {
        assertThat(Asm.errors("""
                import write
                main:
                    jmp loop
                    call write
                    call [rel read]
                    jmp msg
                    mov rax, msg
                    mov rax, [rbx + msg]
                    lea rax, [rel nowhere]
                    lea rax, [rel msg + msg]
                    mov eax, UNDEF
                section .data
                msg: db 1
                """)).containsExactly(
                "t.tal:3:9: error: undefined label 'loop'",
                "t.tal:4:10: error: 'write' is an import: call it through its slot, call [rel write]",
                "t.tal:5:15: error: 'read' is not imported (add 'import read')",
                "t.tal:6:9: error: branch target 'msg' is a data label, not code",
                "t.tal:7:14: error: 'msg' is an address, not a constant: the code is position-independent "
                        + "(use lea reg, [rel msg], or [rel msg] to access memory there)",
                "t.tal:8:14: error: invalid operand '[rbx + msg]': 'msg' is a label: address it RIP-relatively, as [rel msg]",
                "t.tal:9:19: error: undefined label 'nowhere'",
                "t.tal:10:14: error: invalid operand '[rel msg + msg]': expected [rel label] or [rel label + constant]",
                "t.tal:11:14: error: undefined symbol 'UNDEF'");
    }

    @Test
    void directives() {
        assertThat(Asm.errors("""
                import write, fork, write
                section .bss
                entry main
                entry other
                X equ 1
                X equ 2
                write: nop
                main: ret
                x: section .data
                """)).containsExactly(
                "t.tal:1:15: error: unknown import 'fork'",
                "t.tal:1:21: error: duplicate import 'write'",
                "t.tal:2:9: error: unknown section '.bss' (sections are .text and .data)",
                "t.tal:4:7: error: duplicate entry directive (first at 3:7)",
                "t.tal:6:1: error: duplicate constant 'X' (first defined at 5:1)",
                "t.tal:7:1: error: label 'write' conflicts with the import of the same name",
                "t.tal:9:4: error: a label cannot be followed by 'section'");
    }

    @Test
    void entry() {
        assertThat(Asm.errors("f: ret\n")).containsExactly(
                "t.tal:1:1: error: no entry label: define 'main', or name another label with 'entry'");
        assertThat(Asm.errors("entry start\nmain: ret\n")).containsExactly(
                "t.tal:1:7: error: entry label 'start' is not defined");
        assertThat(Asm.errors("entry msg\nmain: ret\nsection .data\nmsg: db 0\n")).containsExactly(
                "t.tal:1:7: error: entry label 'msg' is not in .text");
    }

    @Test
    void syntax() {
        assertThat(errs("""
                    mov eax, "str"
                    mov eax, [rbx
                    mov eax, (1 + 2
                    mov eax, 1 2
                    mov eax, $
                    mov eax, [rel]
                    mov eax, rel x
                    db "unterminated
                    db "\\x4"
                    , nop
                    mov eax, 1 +""")).containsExactly(
                "t.tal:2:14: error: a string is not allowed here",
                "t.tal:3:18: error: expected ']' at end of line",
                "t.tal:4:20: error: expected ')' at end of line",
                "t.tal:5:16: error: unexpected '2'",
                "t.tal:6:14: error: unexpected character '$'",
                "t.tal:7:18: error: expected an expression, found ']'",
                "t.tal:8:14: error: 'rel' goes inside the brackets: [rel label]",
                "t.tal:9:8: error: unterminated string",
                "t.tal:10:9: error: \\x needs two hexadecimal digits",
                "t.tal:11:5: error: expected a label, a directive or an instruction",
                "t.tal:12:17: error: expected an expression at end of line");
    }

    @Test
    void windowsLineEndingsAndTabs() {
        assertThat(Asm.errors("main:\r\n\tmvo eax, 1\r\n")).containsExactly("t.tal:2:2: error: unknown mnemonic 'mvo'");
        Program p = Asm.ok("main:\r\n\tret\r\n");
        assertThat(p.text()).hasSize(Asm.STOP_BLOCK + Asm.poll(p, "main").length + 1);
    }
}
