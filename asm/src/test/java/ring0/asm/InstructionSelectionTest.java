package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;
import static ring0.isa.Reg.*;
import static ring0.isa.Width.*;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Insn.AluOp;
import ring0.isa.Insn.MulDivOp;
import ring0.isa.Insn.ShiftOp;
import ring0.isa.Insn.UnaryOp;
import ring0.isa.Mem;

/**
 * Each source line must select exactly the expected model instruction: the
 * assembled bytes equal the encoding of the expected {@link Insn}.
 */
class InstructionSelectionTest {

    private static Arguments a(String line, Insn expected) {
        return Arguments.of(line, expected);
    }

    private static Imm imm(long v) {
        return new Imm(v);
    }

    static Stream<Arguments> forms() {
        return Stream.of(
                // mov: sizes from registers, canonical immediates, imm64 chosen automatically
                a("mov eax, 1", new Insn.Mov(DWORD, RAX, imm(1))),
                a("MOV EAX, EBX", new Insn.Mov(DWORD, RAX, RBX)),
                a("mov al, 255", new Insn.Mov(BYTE, RAX, imm(-1))),
                a("mov r9b, -128", new Insn.Mov(BYTE, R9, imm(-128))),
                a("mov spl, dil", new Insn.Mov(BYTE, RSP, RDI)),
                a("mov ax, 0xffff", new Insn.Mov(WORD, RAX, imm(-1))),
                a("mov r10w, 0x1234", new Insn.Mov(WORD, R10, imm(0x1234))),
                a("mov ecx, 0xffffffff", new Insn.Mov(DWORD, RCX, imm(-1))),
                a("mov rax, 0x123456789", new Insn.Mov(QWORD, RAX, imm(0x123456789L))),
                a("mov rax, -1", new Insn.Mov(QWORD, RAX, imm(-1))),
                a("mov rax, 0xffffffffffffffff", new Insn.Mov(QWORD, RAX, imm(-1))),
                a("mov r15, 0x8000_0000_0000_0000", new Insn.Mov(QWORD, R15, imm(Long.MIN_VALUE))),
                a("mov qword [rsp+8], 0", new Insn.Mov(QWORD, Mem.of(RSP, 8), imm(0))),
                a("mov byte [rdi], 'x'", new Insn.Mov(BYTE, Mem.of(RDI, 0), imm('x'))),
                a("mov word [rbx], -2", new Insn.Mov(WORD, Mem.of(RBX, 0), imm(-2))),
                a("mov dword [rbx], 0x80000000", new Insn.Mov(DWORD, Mem.of(RBX, 0), imm(Integer.MIN_VALUE))),
                a("mov qword [rbx], -0x80000000", new Insn.Mov(QWORD, Mem.of(RBX, 0), imm(Integer.MIN_VALUE))),
                // memory operands in any order
                a("mov [rbx + 8 + rcx*8], rdx", new Insn.Mov(QWORD, Mem.of(RBX, RCX, 8, 8), RDX)),
                a("mov rdx, [rcx*4]", new Insn.Mov(QWORD, RDX, new Mem(null, RCX, 4, 0, false))),
                a("mov sil, [rsp]", new Insn.Mov(BYTE, RSI, Mem.of(RSP, 0))),
                a("mov r8d, [8*r9 + r10 - 16]", new Insn.Mov(DWORD, R8, Mem.of(R10, R9, 8, -16))),
                a("mov eax, [rax + rsp]", new Insn.Mov(DWORD, RAX, Mem.of(RSP, RAX, 1, 0))),
                a("mov eax, [rcx*1 + r12]", new Insn.Mov(DWORD, RAX, Mem.of(R12, RCX, 1, 0))),
                a("mov eax, [rcx*1]", new Insn.Mov(DWORD, RAX, new Mem(null, RCX, 1, 0, false))),
                a("mov eax, [rax + rax*2]", new Insn.Mov(DWORD, RAX, Mem.of(RAX, RAX, 2, 0))),
                a("mov eax, [rbp]", new Insn.Mov(DWORD, RAX, Mem.of(RBP, 0))),
                a("mov eax, [r13 + (2 + 3) * 4 - 1]", new Insn.Mov(DWORD, RAX, Mem.of(R13, 19))),
                a("mov eax, [rbx - 0x80000000]", new Insn.Mov(DWORD, RAX, Mem.of(RBX, Integer.MIN_VALUE))),
                a("mov qword [rbx], rax", new Insn.Mov(QWORD, Mem.of(RBX, 0), RAX)),
                // ALU
                a("add rax, rcx", new Insn.Alu(AluOp.ADD, QWORD, RAX, RCX)),
                a("or al, 0x80", new Insn.Alu(AluOp.OR, BYTE, RAX, imm(-128))),
                a("adc [rax], ebx", new Insn.Alu(AluOp.ADC, DWORD, Mem.of(RAX, 0), RBX)),
                a("sbb rax, -129", new Insn.Alu(AluOp.SBB, QWORD, RAX, imm(-129))),
                a("and r12w, [r13]", new Insn.Alu(AluOp.AND, WORD, R12, Mem.of(R13, 0))),
                a("sub rsp, 8", new Insn.Alu(AluOp.SUB, QWORD, RSP, imm(8))),
                a("xor eax, eax", new Insn.Alu(AluOp.XOR, DWORD, RAX, RAX)),
                a("cmp byte [rdi + 8], '-'", new Insn.Alu(AluOp.CMP, BYTE, Mem.of(RDI, 8), imm('-'))),
                a("cmp qword [rdi], 1", new Insn.Alu(AluOp.CMP, QWORD, Mem.of(RDI, 0), imm(1))),
                a("and ecx, 0xfffffff0", new Insn.Alu(AluOp.AND, DWORD, RCX, imm(-16))),
                // test (a memory second operand is swapped to the r/m side)
                a("test rax, rax", new Insn.Test(QWORD, RAX, RAX)),
                a("test [rbx], ecx", new Insn.Test(DWORD, Mem.of(RBX, 0), RCX)),
                a("test ecx, [rbx]", new Insn.Test(DWORD, Mem.of(RBX, 0), RCX)),
                a("test al, 1", new Insn.Test(BYTE, RAX, imm(1))),
                a("test word [rsi], 0x8000", new Insn.Test(WORD, Mem.of(RSI, 0), imm(-0x8000))),
                // unary, multiply, divide
                a("inc qword [rax]", new Insn.Unary(UnaryOp.INC, QWORD, Mem.of(RAX, 0))),
                a("dec r15d", new Insn.Unary(UnaryOp.DEC, DWORD, R15)),
                a("not bl", new Insn.Unary(UnaryOp.NOT, BYTE, RBX)),
                a("neg word [rsi]", new Insn.Unary(UnaryOp.NEG, WORD, Mem.of(RSI, 0))),
                a("imul rax, rbx", new Insn.Imul2(QWORD, RAX, RBX)),
                a("imul eax, [rbx], 10", new Insn.Imul3(DWORD, RAX, Mem.of(RBX, 0), 10)),
                a("imul ecx, 100", new Insn.Imul3(DWORD, RCX, RCX, 100)),
                a("imul cx, dx, 0xffff", new Insn.Imul3(WORD, RCX, RDX, -1)),
                a("imul qword [rsp]", new Insn.MulDiv(MulDivOp.IMUL, QWORD, Mem.of(RSP, 0))),
                a("mul rcx", new Insn.MulDiv(MulDivOp.MUL, QWORD, RCX)),
                a("div dword [rbx]", new Insn.MulDiv(MulDivOp.DIV, DWORD, Mem.of(RBX, 0))),
                a("idiv r8b", new Insn.MulDiv(MulDivOp.IDIV, BYTE, R8)),
                a("cdq", new Insn.SignExtend(DWORD)),
                a("cqo", new Insn.SignExtend(QWORD)),
                // shifts
                a("shl eax, 3", new Insn.Shift(ShiftOp.SHL, DWORD, RAX, imm(3))),
                a("sal rax, 1", new Insn.Shift(ShiftOp.SHL, QWORD, RAX, imm(1))),
                a("shr byte [rbx], cl", new Insn.Shift(ShiftOp.SHR, BYTE, Mem.of(RBX, 0), RCX)),
                a("sar r11, 255", new Insn.Shift(ShiftOp.SAR, QWORD, R11, imm(255))),
                // conditional forms, with aliases
                a("cmovz eax, ebx", new Insn.Cmov(Cond.E, DWORD, RAX, RBX)),
                a("cmovnae rax, [rbx]", new Insn.Cmov(Cond.B, QWORD, RAX, Mem.of(RBX, 0))),
                a("cmovge cx, dx", new Insn.Cmov(Cond.GE, WORD, RCX, RDX)),
                a("cmovpo r8, r9", new Insn.Cmov(Cond.NP, QWORD, R8, R9)),
                a("setne al", new Insn.Setcc(Cond.NE, RAX)),
                a("setc byte [rbx]", new Insn.Setcc(Cond.B, Mem.of(RBX, 0))),
                a("setnle r10b", new Insn.Setcc(Cond.G, R10)),
                a("seta [rbx]", new Insn.Setcc(Cond.A, Mem.of(RBX, 0))),
                // indirect branches, stack, misc
                a("jmp rax", new Insn.JmpInd(RAX)),
                a("jmp [rbx+8]", new Insn.JmpInd(Mem.of(RBX, 8))),
                a("jmp qword [rbx]", new Insn.JmpInd(Mem.of(RBX, 0))),
                a("call r11", new Insn.CallInd(R11)),
                a("call [rax]", new Insn.CallInd(Mem.of(RAX, 0))),
                a("ret", new Insn.Ret()),
                a("nop", new Insn.Nop()),
                a("push rbx", new Insn.Push(RBX)),
                a("push 5", new Insn.Push(imm(5))),
                a("push -1", new Insn.Push(imm(-1))),
                a("push qword [rsp+8]", new Insn.Push(Mem.of(RSP, 8))),
                a("push [rsp]", new Insn.Push(Mem.of(RSP, 0))),
                a("pop r15", new Insn.Pop(R15)),
                a("pop qword [rax]", new Insn.Pop(Mem.of(RAX, 0))),
                // extensions and lea
                a("movzx eax, byte [rsi]", new Insn.Movx(DWORD, RAX, BYTE, Mem.of(RSI, 0), false)),
                a("movzx rcx, dx", new Insn.Movx(QWORD, RCX, WORD, RDX, false)),
                a("movzx ax, r9b", new Insn.Movx(WORD, RAX, BYTE, R9, false)),
                a("movsx rax, byte [rbx]", new Insn.Movx(QWORD, RAX, BYTE, Mem.of(RBX, 0), true)),
                a("movsx ax, bl", new Insn.Movx(WORD, RAX, BYTE, RBX, true)),
                a("movsx edx, word [rbx]", new Insn.Movx(DWORD, RDX, WORD, Mem.of(RBX, 0), true)),
                a("movsxd rax, dword [rbx]", new Insn.Movx(QWORD, RAX, DWORD, Mem.of(RBX, 0), true)),
                a("movsxd rax, [rbx]", new Insn.Movx(QWORD, RAX, DWORD, Mem.of(RBX, 0), true)),
                a("movsxd rdx, ecx", new Insn.Movx(QWORD, RDX, DWORD, RCX, true)),
                a("movsx rax, ecx", new Insn.Movx(QWORD, RAX, DWORD, RCX, true)),
                a("lea rax, [rbx + rcx*2 + 1]", new Insn.Lea(QWORD, RAX, Mem.of(RBX, RCX, 2, 1))),
                a("lea ecx, [rax+1]", new Insn.Lea(DWORD, RCX, Mem.of(RAX, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void selects(String line, Insn expected) {
        assertThat(Asm.hex(Asm.text(line))).isEqualTo(Asm.hex(Asm.code(expected)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constants")
    void constantsWorkInImmediatesAndDisplacements(String line, Insn expected) {
        assertThat(Asm.hex(Asm.text("N equ 4\nM equ N * 2\n" + line))).isEqualTo(Asm.hex(Asm.code(expected)));
    }

    static List<Arguments> constants() {
        return List.of(
                a("mov eax, M + 1", new Insn.Mov(DWORD, RAX, imm(9))),
                a("mov rax, [rbx + rcx*N + M]", new Insn.Mov(QWORD, RAX, Mem.of(RBX, RCX, 4, 8))),
                a("shl eax, N", new Insn.Shift(ShiftOp.SHL, DWORD, RAX, imm(4))),
                a("imul eax, ebx, -M", new Insn.Imul3(DWORD, RAX, RBX, -8)));
    }
}
