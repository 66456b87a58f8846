package ring0.isa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import ring0.isa.Insn.AluOp;

class SyntaxTest {

    @Test
    void sizeKeywordOnlyWhereNeeded() {
        assertThat(Syntax.format(new Insn.Mov(Width.QWORD, Mem.of(Reg.RSP, 8), new Imm(0)))).isEqualTo("mov qword [rsp+8], 0");
        assertThat(Syntax.format(new Insn.Mov(Width.QWORD, Reg.RAX, Mem.of(Reg.RBX, Reg.RCX, 8, 8))))
            .isEqualTo("mov rax, [rbx+rcx*8+8]");
        assertThat(Syntax.format(new Insn.Movx(Width.DWORD, Reg.RAX, Width.BYTE, Mem.of(Reg.RSI, 0), false)))
            .isEqualTo("movzx eax, byte [rsi]");
        assertThat(Syntax.format(new Insn.Alu(AluOp.CMP, Width.WORD, Mem.of(Reg.R8, -0x10), Reg.R9)))
            .isEqualTo("cmp [r8-0x10], r9w");
        assertThat(Syntax.format(new Insn.Shift(Insn.ShiftOp.SHL, Width.DWORD, Mem.of(Reg.RAX, 0), Reg.RCX)))
            .isEqualTo("shl dword [rax], cl");
    }

    @Test
    void relativeAndAbsoluteTargets() {
        Insn call = new Insn.CallInd(Mem.rip(0x1000));
        assertThat(Syntax.format(call)).isEqualTo("call [rip+0x1000]");
        assertThat(Syntax.format(call, 0x401000, 6)).isEqualTo("call [rel 0x402006]");
        Insn lea = new Insn.Lea(Width.QWORD, Reg.RSI, Mem.rip(-7));
        assertThat(Syntax.format(lea, 0x402010, 7)).isEqualTo("lea rsi, [rel 0x402010]");
        assertThat(Syntax.format(new Insn.Jmp(0xe, true))).isEqualTo("jmp $+0x10");
        assertThat(Syntax.format(new Insn.Jmp(0xe, true), 0x401000, 2)).isEqualTo("jmp 0x401010");
        assertThat(Syntax.format(new Insn.Jcc(Cond.AE, -0x100, false), 0x401000, 6)).isEqualTo("jae 0x400f06");
        assertThat(Syntax.format(new Insn.Call(-5))).isEqualTo("call $");
        assertThat(Syntax.format(new Insn.Call(-5), 0, 5)).isEqualTo("call 0x0");
        assertThat(Syntax.format(new Insn.Jmp(-10, false), 0, 5)).isEqualTo("jmp near 0xfffffffffffffffb");
    }

    @Test
    void rel32BranchThatWouldFitShortSaysNear() {
        assertThat(Syntax.format(new Insn.Jmp(0, false))).isEqualTo("jmp near $+5");
        assertThat(Syntax.format(new Insn.Jmp(130, false))).isEqualTo("jmp $+0x87");
        assertThat(Syntax.format(new Insn.Jmp(124, false))).isEqualTo("jmp near $+0x81");
        assertThat(Syntax.format(new Insn.Jcc(Cond.E, -0x7a, false))).isEqualTo("je near $-0x74");
        assertThat(Syntax.format(new Insn.Jcc(Cond.E, 0x7f, true))).isEqualTo("je $+0x81");
    }

    @Test
    void numbers() {
        assertThat(Syntax.number(9)).isEqualTo("9");
        assertThat(Syntax.number(-9)).isEqualTo("-9");
        assertThat(Syntax.number(10)).isEqualTo("0xa");
        assertThat(Syntax.number(-10)).isEqualTo("-0xa");
        assertThat(Syntax.number(Long.MIN_VALUE)).isEqualTo("-0x8000000000000000");
        assertThat(Syntax.number(Long.MAX_VALUE)).isEqualTo("0x7fffffffffffffff");
    }

    @Test
    void mnemonics() {
        assertThat(Syntax.format(new Insn.SignExtend(Width.DWORD))).isEqualTo("cdq");
        assertThat(Syntax.format(new Insn.SignExtend(Width.QWORD))).isEqualTo("cqo");
        assertThat(Syntax.format(new Insn.Movx(Width.QWORD, Reg.RAX, Width.DWORD, Reg.RCX, true))).isEqualTo("movsxd rax, ecx");
        assertThat(Syntax.format(new Insn.Movx(Width.QWORD, Reg.RAX, Width.WORD, Reg.RCX, true))).isEqualTo("movsx rax, cx");
        assertThat(Syntax.format(new Insn.Setcc(Cond.NE, Reg.RSI))).isEqualTo("setne sil");
        assertThat(Syntax.format(new Insn.Cmov(Cond.BE, Width.WORD, Reg.R8, Reg.R15))).isEqualTo("cmovbe r8w, r15w");
        assertThat(Syntax.format(new Insn.Pop(Mem.of(null, Reg.RCX, 4, 0)))).isEqualTo("pop qword [rcx*4]");
    }
}
