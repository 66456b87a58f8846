package ring0.asm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.isa.Reg;
import ring0.isa.Syntax;
import ring0.isa.Width;

/**
 * The decoder's printed syntax is this assembler's input syntax: for random
 * source lines, assemble, decode, print with {@link Syntax#format(ring0.isa.Insn)}
 * and assemble again; the bytes must be the same.
 */
class SyntaxRoundTripTest {
    private static final String[] ALU = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    private static final String[] UNARY = {"inc", "dec", "not", "neg", "mul", "div", "idiv", "imul"};
    private static final String[] CONDS = {"o", "no", "b", "c", "nae", "ae", "nb", "nc", "e", "z", "ne", "nz", "be",
        "na", "a", "nbe", "s", "ns", "p", "pe", "np", "po", "l", "nge", "ge", "nl", "le", "ng", "g", "nle"};
    private static final long[] IMMS = {0, 1, -1, 127, 128, -128, -129, 255, 0x7fff, -0x8000, 0xffff, 0x7fffffff,
        -0x80000000L, 0xffffffffL};

    private final Random rnd = new Random(42);

    private String reg(Width w) {
        return Reg.of(rnd.nextInt(16)).name(w);
    }

    private <T> T pick(T[] a) {
        return a[rnd.nextInt(a.length)];
    }

    private Width width() {
        return Width.values()[rnd.nextInt(4)];
    }

    private String mem() {
        List<String> terms = new ArrayList<>();
        if (rnd.nextInt(4) != 0) terms.add(reg(Width.QWORD));
        if (rnd.nextBoolean() || terms.isEmpty()) {
            Reg index = Reg.of(rnd.nextInt(16));
            if (index == Reg.RSP) index = Reg.RBP;
            int scale = 1 << rnd.nextInt(4);
            terms.add(rnd.nextBoolean() ? index.name(Width.QWORD) + "*" + scale : scale + "*" + index.name(Width.QWORD));
        }
        long[] disps = {0, 1, -1, 127, 128, -128, -129, 0x7fffffff, -0x80000000L};
        long d = disps[rnd.nextInt(disps.length)];
        if (d != 0) terms.add(Long.toString(d));
        Collections.shuffle(terms, rnd);
        return "[" + String.join(" + ", terms).replace("+ -", "- ") + "]";
    }

    /** True if {@code v} is a valid immediate for an operation of width {@code w}. */
    private static boolean fits(Width w, long v) {
        return w == Width.QWORD ? Width.DWORD.fitsSigned(v) : w.fits(v);
    }

    /** A random, valid source line for a non-branch instruction. */
    private String line() {
        Width w = width();
        long v;
        do v = IMMS[rnd.nextInt(IMMS.length)]; while (!fits(w, v));
        String imm = Long.toString(v);
        return switch (rnd.nextInt(13)) {
            case 0 -> "mov " + reg(w) + ", " + (rnd.nextBoolean() ? reg(w) : mem());
            case 1 -> "mov " + w.keyword() + " " + mem() + ", " + (rnd.nextBoolean() ? imm : reg(w));
            case 2 -> pick(ALU) + " " + reg(w) + ", " + imm;
            case 3 -> pick(ALU) + " " + mem() + ", " + reg(w);
            case 4 -> "test " + (rnd.nextBoolean() ? reg(w) : w.keyword() + " " + mem()) + ", " + imm;
            case 5 -> pick(UNARY) + " " + w.keyword() + " " + mem();
            case 6 -> w == Width.BYTE ? "cqo" : "imul " + reg(w) + ", " + mem() + ", " + imm;
            case 7 -> pick(new String[] {"shl", "sal", "shr", "sar"}) + " " + reg(w) + ", "
                    + pick(new String[] {"1", "2", "31", "cl", "255"});
            case 8 -> w == Width.BYTE ? "cdq" : "cmov" + pick(CONDS) + " " + reg(w) + ", " + mem();
            case 9 -> "set" + pick(CONDS) + " " + (rnd.nextBoolean() ? reg(Width.BYTE) : "byte " + mem());
            case 10 -> "lea " + reg(rnd.nextBoolean() ? Width.QWORD : Width.DWORD) + ", " + mem();
            case 11 -> pick(new String[] {"push " + reg(Width.QWORD), "pop " + reg(Width.QWORD), "push qword " + mem(),
                "pop qword " + mem(), "push " + IMMS[rnd.nextInt(13)], "jmp " + reg(Width.QWORD), "call qword " + mem(),
                "jmp " + mem(), "ret", "nop", "mov rax, 0x123456789abcdef", "mov r9, -0x8000000000000000"});
            default -> w == Width.BYTE || w == Width.QWORD
                    ? "movsxd " + reg(Width.QWORD) + ", " + (rnd.nextBoolean() ? reg(Width.DWORD) : "dword " + mem())
                    : pick(new String[] {"movzx", "movsx"}) + " " + reg(rnd.nextBoolean() ? Width.QWORD : Width.DWORD)
                            + ", " + pick(new String[] {"byte", "word"}) + " " + mem();
        };
    }

    @Test
    void decoderOutputReassemblesToTheSameBytes() throws Exception {
        for (int i = 0; i < 3000; i++) {
            String line = line();
            byte[] code = Asm.text("    " + line);
            Decoded d = Decoder.decode(code, 0, code.length);
            assertThat(d.length()).as(line).isEqualTo(code.length);
            String printed = Syntax.format(d.insn());
            assertThat(Asm.hex(Asm.text("    " + printed))).as(line + "  printed as  " + printed).isEqualTo(Asm.hex(code));
        }
    }
}
