package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import ring0.isa.Cond;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;

/** Branch relaxation: rel8 when it reaches, rel32 otherwise, {@code short}/{@code near} forced. */
class RelaxationTest {

    private static String nops(int n) {
        return "    nop\n".repeat(n);
    }

    private static byte[] nopBytes(int n) {
        Insn[] a = new Insn[n];
        Arrays.fill(a, new Insn.Nop());
        return Asm.code(a);
    }

    private static String hex(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return Asm.hex(out.toByteArray());
    }

    @Test
    void forwardJumpOf127IsShort() {
        byte[] t = Asm.text("    jmp .t\n" + nops(127) + ".t: ret");
        assertThat(Asm.hex(t)).isEqualTo(hex(Asm.code(new Insn.Jmp(127, true)), nopBytes(127), Asm.code(new Insn.Ret())));
    }

    @Test
    void forwardJumpOf128IsNear() {
        byte[] t = Asm.text("    jmp .t\n" + nops(128) + ".t: ret");
        assertThat(Asm.hex(t)).isEqualTo(hex(Asm.code(new Insn.Jmp(128, false)), nopBytes(128), Asm.code(new Insn.Ret())));
    }

    @Test
    void backwardJumpOfMinus128IsShort() {
        // 126 nops + the 2-byte jump itself: rel = -128
        byte[] t = Asm.text(".t:\n" + nops(126) + "    jmp .t");
        assertThat(Asm.hex(t)).isEqualTo(hex(nopBytes(126), Asm.code(new Insn.Jmp(-128, true))));
    }

    @Test
    void backwardJumpOfMinus129IsNear() {
        byte[] t = Asm.text(".t:\n" + nops(127) + "    jmp .t");
        assertThat(Asm.hex(t)).isEqualTo(hex(nopBytes(127), Asm.code(new Insn.Jmp(-132, false))));
    }

    @Test
    void conditionalJumpsRelaxAtTheSameBoundary() {
        assertThat(Asm.hex(Asm.text("    jz .t\n" + nops(127) + ".t:")))
                .isEqualTo(hex(Asm.code(new Insn.Jcc(Cond.E, 127, true)), nopBytes(127)));
        assertThat(Asm.hex(Asm.text("    jnz .t\n" + nops(128) + ".t:")))
                .isEqualTo(hex(Asm.code(new Insn.Jcc(Cond.NE, 128, false)), nopBytes(128)));
        assertThat(Asm.hex(Asm.text(".t:\n" + nops(127) + "    jl .t")))
                .isEqualTo(hex(nopBytes(127), Asm.code(new Insn.Jcc(Cond.L, -133, false))));
    }

    @Test
    void growingOneBranchCanPushAnotherOutOfReach() {
        // je first reaches .t (rel 127 while the jmp is short); once the jmp grows by 3, rel is 130.
        String body = "    je .t\n    jmp .far\n" + nops(125) + ".t:\n" + nops(200) + ".far: ret";
        byte[] t = Asm.text(body);
        assertThat(Asm.hex(t)).isEqualTo(hex(
                Asm.code(new Insn.Jcc(Cond.E, 5 + 125, false), new Insn.Jmp(125 + 200, false)),
                nopBytes(325), Asm.code(new Insn.Ret())));
    }

    @Test
    void nearForcesRel32AndShortForcesRel8() {
        assertThat(Asm.hex(Asm.text("    jmp near .t\n.t:")))
                .isEqualTo(Asm.hex(Asm.code(new Insn.Jmp(0, false))));
        assertThat(Asm.hex(Asm.text("    jc near .t\n.t:")))
                .isEqualTo(Asm.hex(Asm.code(new Insn.Jcc(Cond.B, 0, false))));
        assertThat(Asm.hex(Asm.text("    jmp short .t\n" + nops(127) + ".t:")))
                .isEqualTo(hex(Asm.code(new Insn.Jmp(127, true)), nopBytes(127)));
    }

    @Test
    void shortOutOfRangeIsAnError() {
        assertThat(Asm.errors("main:\n    jmp short .t\n" + nops(128) + ".t: ret\n"))
                .containsExactly("t.tal:2:5: error: short jump to 'main.t' is out of range (128 bytes; "
                        + "a short jump reaches -128..127)");
    }

    @Test
    void callIsAlwaysRel32() {
        assertThat(Asm.hex(Asm.text("    call f\n    ret\nf: ret")))
                .isEqualTo(Asm.hex(Asm.code(new Insn.Call(1), new Insn.Ret(), new Insn.Ret())));
        assertThat(Asm.hex(Asm.text("    call near f\nf: ret")))
                .isEqualTo(Asm.hex(Asm.code(new Insn.Call(0), new Insn.Ret())));
    }

    @Test
    void ripDisplacementsUseFinalLengths() {
        // The jmp grows to 5 bytes; the lea after it must still reach .x exactly.
        String body = "    jmp .far\n    lea rax, [rel .x]\n.x:\n" + nops(200) + ".far: ret";
        byte[] t = Asm.text(body);
        assertThat(Asm.hex(t)).isEqualTo(hex(
                Asm.code(new Insn.Jmp(7 + 200, false), new Insn.Lea(Width.QWORD, Reg.RAX, Mem.rip(0))),
                nopBytes(200), Asm.code(new Insn.Ret())));
        assertThat(Asm.symbol(Asm.ok("main:\n" + body), "main.x").imageOffset()).isEqualTo(12);
    }

    @Test
    void ripDisplacementToTextDataAndSlotsIsRelativeToTheInstructionEnd() {
        Program p = Asm.ok("""
                import exit, write
                main:
                    lea rax, [rel main]
                    mov rcx, [rel val + 8]
                    call [rel write]
                    ret
                section .data
                val: dq 1, 2
                """);
        int lea = Encoder.length(new Insn.Lea(Width.QWORD, Reg.RAX, Mem.rip(0)));
        int mov = Encoder.length(new Insn.Mov(Width.QWORD, Reg.RCX, Mem.rip(0)));
        int call = Encoder.length(new Insn.CallInd(Mem.rip(0)));
        byte[] expected = Asm.code(
                new Insn.Lea(Width.QWORD, Reg.RAX, Mem.rip(-lea)),
                new Insn.Mov(Width.QWORD, Reg.RCX, Mem.rip(p.dataOffset() + 8 - (lea + mov))),
                new Insn.CallInd(Mem.rip(p.slotOffset(1) - (lea + mov + call))),
                new Insn.Ret());
        assertThat(Asm.hex(p.text())).isEqualTo(Asm.hex(expected));
    }
}
