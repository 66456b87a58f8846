package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Branch relaxation: rel8 when it reaches, rel32 otherwise, {@code short}/{@code near} forced.
 * Every label starts with its poll (9 bytes near the start of the text, 13 further on, where its
 * {@code jbe} to offset 0 needs rel32); a branch to a label lands on the poll.
 */
class RelaxationTest {

    /** The poll of a label near the start: cmp rsp, [rel limit] (7 bytes) and jbe rel8 (2). */
    private static final int NEAR_POLL = 9;

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

    private static byte[] ret() {
        return Asm.code(new Insn.Ret());
    }

    @Test
    void forwardJumpOf127IsShort() {
        Program p = Asm.main("    jmp .t\n" + nops(127) + ".t: ret");
        assertThat(Asm.hex(Asm.body(p)))
                .isEqualTo(hex(Asm.code(new Insn.Jmp(127, true)), nopBytes(127), Asm.poll(p, "main.t"), ret()));
    }

    @Test
    void forwardJumpOf128IsNear() {
        Program p = Asm.main("    jmp .t\n" + nops(128) + ".t: ret");
        assertThat(Asm.hex(Asm.body(p)))
                .isEqualTo(hex(Asm.code(new Insn.Jmp(128, false)), nopBytes(128), Asm.poll(p, "main.t"), ret()));
    }

    @Test
    void pollsNearTheStartUseRel8AndLaterOnesRel32() {
        Program p = Asm.main(".a:\n" + nops(200) + ".b: ret");
        assertThat(Asm.poll(p, "main.a")).hasSize(NEAR_POLL);
        assertThat(Asm.poll(p, "main.b")).hasSize(13);
        assertThat(Asm.hex(Asm.body(p)))
                .isEqualTo(hex(Asm.poll(p, "main.a"), nopBytes(200), Asm.poll(p, "main.b"), ret()));
    }

    @Test
    void backwardJumpOfMinus128IsShort() {
        // the poll of .t, 117 nops and the 2-byte jump itself: rel = -128
        byte[] t = Asm.text(".t:\n" + nops(117) + "    jmp .t");
        assertThat(Asm.hex(Arrays.copyOfRange(t, NEAR_POLL, t.length)))
                .isEqualTo(hex(nopBytes(117), Asm.code(new Insn.Jmp(-128, true))));
    }

    @Test
    void backwardJumpOfMinus129IsNear() {
        byte[] t = Asm.text(".t:\n" + nops(118) + "    jmp .t");
        assertThat(Asm.hex(Arrays.copyOfRange(t, NEAR_POLL, t.length)))
                .isEqualTo(hex(nopBytes(118), Asm.code(new Insn.Jmp(-(NEAR_POLL + 118 + 5), false))));
    }

    @Test
    void conditionalJumpsRelaxAtTheSameBoundary() {
        Program p = Asm.main("    jz .t\n" + nops(127) + ".t:");
        assertThat(Asm.hex(Asm.body(p)))
                .isEqualTo(hex(Asm.code(new Insn.Jcc(Cond.E, 127, true)), nopBytes(127), Asm.poll(p, "main.t")));
        p = Asm.main("    jnz .t\n" + nops(128) + ".t:");
        assertThat(Asm.hex(Asm.body(p)))
                .isEqualTo(hex(Asm.code(new Insn.Jcc(Cond.NE, 128, false)), nopBytes(128), Asm.poll(p, "main.t")));
        byte[] t = Asm.text(".t:\n" + nops(117) + "    jl .t");
        assertThat(Asm.hex(Arrays.copyOfRange(t, NEAR_POLL, t.length)))
                .isEqualTo(hex(nopBytes(117), Asm.code(new Insn.Jcc(Cond.L, -128, true))));
        t = Asm.text(".t:\n" + nops(118) + "    jl .t");
        assertThat(Asm.hex(Arrays.copyOfRange(t, NEAR_POLL, t.length)))
                .isEqualTo(hex(nopBytes(118), Asm.code(new Insn.Jcc(Cond.L, -(NEAR_POLL + 118 + 6), false))));
    }

    @Test
    void growingOneBranchCanPushAnotherOutOfReach() {
        // je first reaches .t (rel 127 while the jmp is short); once the jmp grows by 3, rel is 130.
        Program p = Asm.main("    je .t\n    jmp .far\n" + nops(125) + ".t:\n" + nops(200) + ".far: ret");
        int pollT = Asm.poll(p, "main.t").length;
        assertThat(Asm.hex(Asm.body(p))).isEqualTo(hex(
                Asm.code(new Insn.Jcc(Cond.E, 5 + 125, false), new Insn.Jmp(125 + pollT + 200, false)),
                nopBytes(125), Asm.poll(p, "main.t"), nopBytes(200), Asm.poll(p, "main.far"), ret()));
    }

    @Test
    void nearForcesRel32AndShortForcesRel8() {
        Program p = Asm.main("    jmp near .t\n.t:");
        assertThat(Asm.hex(Asm.body(p))).isEqualTo(hex(Asm.code(new Insn.Jmp(0, false)), Asm.poll(p, "main.t")));
        p = Asm.main("    jc near .t\n.t:");
        assertThat(Asm.hex(Asm.body(p))).isEqualTo(hex(Asm.code(new Insn.Jcc(Cond.B, 0, false)), Asm.poll(p, "main.t")));
        p = Asm.main("    jmp short .t\n" + nops(127) + ".t:");
        assertThat(Asm.hex(Asm.body(p)))
                .isEqualTo(hex(Asm.code(new Insn.Jmp(127, true)), nopBytes(127), Asm.poll(p, "main.t")));
    }

    @Test
    void shortOutOfRangeIsAnError() {
        assertThat(Asm.errors("main:\n    jmp short .t\n" + nops(128) + ".t: ret\n"))
                .containsExactly("t.tal:2:5: error: short jump to 'main.t' is out of range (128 bytes; "
                        + "a short jump reaches -128..127)");
    }

    @Test
    void callIsAlwaysRel32() {
        Program p = Asm.main("    call f\n    ret\nf: ret");
        assertThat(Asm.hex(Asm.body(p)))
                .isEqualTo(hex(Asm.code(new Insn.Call(1), new Insn.Ret()), Asm.poll(p, "f"), ret()));
        p = Asm.main("    call near f\nf: ret");
        assertThat(Asm.hex(Asm.body(p))).isEqualTo(hex(Asm.code(new Insn.Call(0)), Asm.poll(p, "f"), ret()));
    }

    @Test
    void ripDisplacementsUseFinalLengths() {
        // The jmp grows to 5 bytes; the lea after it must still reach .x exactly.
        Program p = Asm.main("    jmp .far\n    lea rax, [rel .x]\n.x:\n" + nops(200) + ".far: ret");
        int pollX = Asm.poll(p, "main.x").length;
        assertThat(Asm.hex(Asm.body(p))).isEqualTo(hex(
                Asm.code(new Insn.Jmp(7 + pollX + 200, false), new Insn.Lea(Width.QWORD, Reg.RAX, Mem.rip(0))),
                Asm.poll(p, "main.x"), nopBytes(200), Asm.poll(p, "main.far"), ret()));
        assertThat(Asm.symbol(p, "main.x").imageOffset()).isEqualTo(Asm.STOP_BLOCK + NEAR_POLL + 5 + 7);
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
        int main = Asm.symbol(p, "main").imageOffset();
        int start = main + Asm.poll(p, "main").length;
        int lea = Encoder.length(new Insn.Lea(Width.QWORD, Reg.RAX, Mem.rip(0)));
        int mov = Encoder.length(new Insn.Mov(Width.QWORD, Reg.RCX, Mem.rip(0)));
        int call = Encoder.length(new Insn.CallInd(Mem.rip(0)));
        byte[] expected = Asm.code(
                new Insn.Lea(Width.QWORD, Reg.RAX, Mem.rip(main - (start + lea))),
                new Insn.Mov(Width.QWORD, Reg.RCX, Mem.rip(p.dataOffset() + 8 - (start + lea + mov))),
                new Insn.CallInd(Mem.rip(p.slotOffset(p.imports().indexOf(Service.WRITE)) - (start + lea + mov + call))),
                new Insn.Ret());
        assertThat(Asm.hex(Asm.body(p))).isEqualTo(Asm.hex(expected));
    }
}
