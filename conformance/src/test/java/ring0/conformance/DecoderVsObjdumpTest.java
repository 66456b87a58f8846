package ring0.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ring0.asm.Encoder;
import ring0.isa.Cond;
import ring0.isa.DecodeException;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Insn.AluOp;
import ring0.isa.Insn.MulDivOp;
import ring0.isa.Insn.ShiftOp;
import ring0.isa.Insn.UnaryOp;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Random valid instructions over every form, register, width, addressing mode
 * and boundary immediate, encoded by {@link Encoder}: our decoder must give back
 * the same instruction, and agree with objdump on every boundary and text.
 */
class DecoderVsObjdumpTest {

    @Test
    void decoderAgreesWithObjdumpOnRandomValidInstructions() throws Exception {
        long seed = Long.getLong("ring0.fuzz.seed", new SplittableRandom().nextLong());
        int count = Math.max(1000, Integer.getInteger("ring0.fuzz.count", 100_000) / 2);
        System.out.printf("DecoderVsObjdumpTest: %d instructions, seed %d (-Dring0.fuzz.seed=%d to repeat)%n",
                count, seed, seed);
        Result r = run(seed, count);
        assertThat(r.problems()).as("first problems of %d instructions (seed %d)", count, seed).isEmpty();
        assertThat(r.compared()).isEqualTo(count);
    }

    /** Outcome of one run: how many instructions were compared with objdump, and the first problems. */
    record Result(int compared, List<String> problems) {}

    /** Generates, encodes, decodes and compares {@code count} instructions in one objdump run. */
    static Result run(long seed, int count) throws Exception {
        Gen gen = new Gen(new SplittableRandom(seed));
        List<String> problems = new ArrayList<>();
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        List<Decoded> decoded = new ArrayList<>(count);
        List<Integer> offsets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Insn insn = gen.insn();
            byte[] bytes = Encoder.encode(insn);
            Decoded d;
            try {
                d = Decoder.decode(bytes, 0, bytes.length);
            } catch (DecodeException e) {
                note(problems, insn + " encoded as " + hex(bytes, 0, bytes.length) + " is rejected: " + e.reason());
                continue;
            }
            if (!d.insn().equals(insn) || d.length() != bytes.length) {
                note(problems, insn + " encoded as " + hex(bytes, 0, bytes.length) + " decodes to " + d);
            }
            offsets.add(code.size());
            decoded.add(d);
            code.write(bytes);
        }
        int compared = compare(code.toByteArray(), offsets, decoded, problems);
        return new Result(compared, problems);
    }

    /**
     * Compares our decoding of {@code code} (instructions at {@code offsets}) with objdump's.
     *
     * @return how many instructions objdump printed identically
     */
    static int compare(byte[] code, List<Integer> offsets, List<Decoded> ours, List<String> problems) throws Exception {
        List<Objdump.Line> theirs = Objdump.disassemble(code);
        int agreed = 0;
        int j = 0;
        for (int i = 0; i < ours.size(); i++) {
            int at = offsets.get(i);
            Decoded d = ours.get(i);
            while (j < theirs.size() && theirs.get(j).offset() < at) j++;
            String bytes = hex(code, at, at + d.length());
            if (j == theirs.size() || theirs.get(j).offset() != at) {
                note(problems, String.format("0x%x %s: objdump has no instruction boundary here", at, bytes));
                continue;
            }
            Objdump.Line line = theirs.get(j);
            String want = ObjdumpFormat.normalize(line.text());
            String got = ObjdumpFormat.format(d.insn(), at, d.length());
            if (line.length() != d.length()) {
                note(problems, String.format("0x%x %s: length %d but objdump says %d (%s)", at, bytes, d.length(),
                        line.length(), want));
            } else if (!want.equals(got)) {
                note(problems, String.format("0x%x %s: we say '%s', objdump says '%s'", at, bytes, got, want));
            } else {
                agreed++;
            }
        }
        return agreed;
    }

    static void note(List<String> problems, String problem) {
        if (problems.size() < 30) problems.add(problem);
    }

    static String hex(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) sb.append(i > from ? " " : "").append(String.format("%02x", b[i] & 0xFF));
        return sb.toString();
    }

    /** Random valid {@link Insn} instances, biased towards encoding boundaries. */
    static final class Gen {
        private static final Width[] WIDE = {Width.WORD, Width.DWORD, Width.QWORD};
        private static final int[] DISPS = {0, 1, -1, 127, -128, 128, -129, Integer.MAX_VALUE, Integer.MIN_VALUE};
        private final SplittableRandom r;

        Gen(SplittableRandom r) { this.r = r; }

        Insn insn() {
            return switch (r.nextInt(22)) {
                case 0 -> mov();
                case 1 -> movx();
                case 2 -> new Insn.Lea(r.nextBoolean() ? Width.DWORD : Width.QWORD, reg(), mem());
                case 3, 4 -> {
                    Width w = width();
                    Operand[] ops = binary(w, true);
                    yield new Insn.Alu(pick(AluOp.values()), w, ops[0], ops[1]);
                }
                case 5 -> {
                    Width w = width();
                    yield new Insn.Test(w, rm(), r.nextBoolean() ? reg() : imm(w));
                }
                case 6 -> new Insn.Unary(pick(UnaryOp.values()), width(), rm());
                case 7 -> {
                    Width w = pick(WIDE);
                    yield r.nextBoolean() ? new Insn.Imul2(w, reg(), rm()) : new Insn.Imul3(w, reg(), rm(), imm(w).value());
                }
                case 8 -> new Insn.MulDiv(pick(MulDivOp.values()), width(), rm());
                case 9 -> new Insn.SignExtend(r.nextBoolean() ? Width.DWORD : Width.QWORD);
                case 10 -> new Insn.Shift(pick(ShiftOp.values()), width(), rm(),
                        r.nextInt(3) == 0 ? Reg.RCX : new Imm(r.nextInt(4) == 0 ? 1 : r.nextInt(256)));
                case 11 -> new Insn.Cmov(cond(), pick(WIDE), reg(), rm());
                case 12 -> new Insn.Setcc(cond(), rm());
                case 13 -> r.nextBoolean() ? new Insn.Jmp(rel8(), true) : new Insn.Jmp(rel32(), false);
                case 14 -> r.nextBoolean() ? new Insn.Jcc(cond(), rel8(), true) : new Insn.Jcc(cond(), rel32(), false);
                case 15 -> r.nextBoolean() ? new Insn.JmpInd(rm()) : new Insn.CallInd(rm());
                case 16 -> new Insn.Call(rel32());
                case 17 -> new Insn.Push(switch (r.nextInt(3)) {
                    case 0 -> reg();
                    case 1 -> mem();
                    default -> imm(Width.QWORD);
                });
                case 18 -> new Insn.Pop(rm());
                case 19 -> r.nextBoolean() ? new Insn.Ret() : new Insn.Nop();
                default -> mov();
            };
        }

        private Insn mov() {
            Width w = width();
            if (w == Width.QWORD && r.nextInt(4) == 0) return new Insn.Mov(w, reg(), new Imm(imm64()));
            Operand[] ops = binary(w, true);
            return new Insn.Mov(w, ops[0], ops[1]);
        }

        private Insn movx() {
            return switch (r.nextInt(3)) {
                case 0 -> new Insn.Movx(pick(WIDE), reg(), Width.BYTE, rm(), r.nextBoolean());
                case 1 -> new Insn.Movx(r.nextBoolean() ? Width.DWORD : Width.QWORD, reg(), Width.WORD, rm(), r.nextBoolean());
                default -> new Insn.Movx(Width.QWORD, reg(), Width.DWORD, rm(), true);
            };
        }

        /** {@code dst, src} as reg,reg / reg,mem / mem,reg / reg,imm / mem,imm. */
        private Operand[] binary(Width w, boolean imm) {
            return switch (r.nextInt(imm ? 5 : 3)) {
                case 0 -> new Operand[] {reg(), reg()};
                case 1 -> new Operand[] {reg(), mem()};
                case 2 -> new Operand[] {mem(), reg()};
                case 3 -> new Operand[] {reg(), imm(w)};
                default -> new Operand[] {mem(), imm(w)};
            };
        }

        private Width width() { return pick(Width.values()); }

        private Cond cond() { return Cond.of(r.nextInt(16)); }

        private Reg reg() { return Reg.of(r.nextInt(16)); }

        private Operand rm() { return r.nextBoolean() ? reg() : mem(); }

        Mem mem() {
            if (r.nextInt(8) == 0) return Mem.rip(disp());
            Reg base = r.nextInt(6) == 0 ? null : reg();
            Reg index = base != null && r.nextBoolean() ? null : indexReg();
            int scale = index == null ? 1 : 1 << r.nextInt(4);
            return new Mem(base, index, scale, disp(), false);
        }

        private Reg indexReg() {
            Reg x = reg();
            return x == Reg.RSP ? Reg.R12 : x;
        }

        private int disp() {
            return r.nextBoolean() ? DISPS[r.nextInt(DISPS.length)] : r.nextBoolean() ? r.nextInt(-200, 200) : r.nextInt();
        }

        /** A canonical immediate for width {@code w}, often at an imm8/imm16/imm32 boundary. */
        Imm imm(Width w) {
            Width range = w == Width.QWORD ? Width.DWORD : w;
            long min = -(1L << (range.bits() - 1));
            long max = (1L << (range.bits() - 1)) - 1;
            long v = switch (r.nextInt(4)) {
                case 0 -> pick(new long[] {0, 1, -1, 127, -128, 128, -129, min, max});
                case 1 -> r.nextLong(-300, 300);
                default -> r.nextLong(min, max + 1);
            };
            return new Imm(Math.max(min, Math.min(max, v)));
        }

        private long imm64() {
            return r.nextBoolean() ? r.nextLong() : pick(new long[] {0, -1, 0x7fffffffL, 0x80000000L, 0xffffffffL,
                -0x80000001L, Long.MIN_VALUE, Long.MAX_VALUE});
        }

        private int rel8() { return r.nextInt(-128, 128); }

        private int rel32() { return r.nextBoolean() ? r.nextInt() : r.nextInt(-1000, 1000); }

        private <T> T pick(T[] a) { return a[r.nextInt(a.length)]; }

        private long pick(long[] a) { return a[r.nextInt(a.length)]; }
    }
}
