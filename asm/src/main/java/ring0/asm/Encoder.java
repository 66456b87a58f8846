package ring0.asm;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.isa.Width;

import static ring0.asm.EncBytes.F_66;
import static ring0.asm.EncBytes.F_RMB;
import static ring0.asm.EncBytes.F_W;
import static ring0.asm.EncBytes.imm;
import static ring0.asm.EncBytes.modrm;
import static ring0.asm.EncBytes.put;
import static ring0.asm.EncBytes.regInOpcode;

/**
 * Encodes {@link Insn} instances as x86-64 machine code.
 *
 * <p>Every instance of the model is encodable, and the encoding chosen is the one
 * GNU as 2.40 produces for the same instruction written in Intel syntax without
 * {@code -O}: register-to-register forms use the {@code r/m, reg} opcode, 8-bit
 * immediates are used whenever they fit, the short accumulator forms are used
 * for {@code al/ax/eax/rax} otherwise, memory operands take the shortest
 * displacement and a SIB byte only when one is required, and a REX prefix is
 * emitted only when needed. The conformance module checks this byte for byte.
 *
 * <p>Made for large programs: apart from the arrays it returns (and a 15-byte
 * scratch array in the stream variant) the encoder allocates nothing, and
 * {@link #length} is a counting pass over the very code that writes the bytes,
 * so length and encoding can never disagree. Thread-safe: it has no state.
 */
public final class Encoder {

    /** No instruction is longer than this many bytes (the architectural limit). */
    public static final int MAX_LENGTH = 15;

    /** The largest array size every JVM supports. */
    private static final int ARRAY_LIMIT = Integer.MAX_VALUE - 8;

    private Encoder() {}

    /** The machine code of {@code insn}. */
    public static byte[] encode(Insn insn) {
        byte[] out = new byte[length(insn)];
        emit(insn, out, 0);
        return out;
    }

    /** The length in bytes of the machine code of {@code insn}. */
    public static int length(Insn insn) {
        return emit(insn, null, 0);
    }

    /** Appends the machine code of {@code insn} to {@code out}. */
    public static void encode(Insn insn, ByteArrayOutputStream out) {
        byte[] code = new byte[MAX_LENGTH];
        int n = emit(insn, code, 0);
        out.write(code, 0, n);
    }

    /**
     * Writes the machine code of {@code insn} into {@code dst} at {@code offset}.
     *
     * @return the offset just past the instruction
     * @throws IndexOutOfBoundsException if {@code dst} has no room for the
     *         instruction at {@code offset}; nothing is written then
     */
    public static int encode(Insn insn, byte[] dst, int offset) {
        if (offset < 0 || dst.length - offset < MAX_LENGTH) {
            Objects.checkFromIndexSize(offset, length(insn), dst.length);
        }
        return emit(insn, dst, offset);
    }

    /** The machine code of a sequence of instructions, laid out back to back. */
    public static byte[] encodeAll(List<? extends Insn> insns) {
        // One pass into a buffer that grows by doubling; instructions average under 5 bytes.
        byte[] out = new byte[Math.clamp(insns.size() * 5L, 4 * MAX_LENGTH, ARRAY_LIMIT)];
        int p = 0;
        for (Insn i : insns) {
            if (out.length - p < MAX_LENGTH) out = Arrays.copyOf(out, grown(out.length));
            p = emit(i, out, p);
        }
        return p == out.length ? out : Arrays.copyOf(out, p);
    }

    private static int grown(int length) {
        if (length >= ARRAY_LIMIT) throw new IllegalArgumentException("machine code exceeds " + ARRAY_LIMIT + " bytes");
        return (int) Math.min(ARRAY_LIMIT, 2L * length);
    }

    /**
     * Writes {@code insn} at {@code b[p...]}, or only counts its bytes when
     * {@code b} is null.
     *
     * @return the position just past the instruction
     */
    private static int emit(Insn insn, byte[] b, int p) {
        return switch (insn) {
            case Insn.Mov i -> mov(i, b, p);
            case Insn.Movx i -> movx(i, b, p);
            case Insn.Lea i -> modrm(b, p, i.w() == Width.QWORD ? F_W : 0, 0x8D, i.dst().code(), i.src());
            case Insn.Alu i -> alu(i, b, p);
            case Insn.Test i -> test(i, b, p);
            case Insn.Unary i -> unary(i, b, p);
            case Insn.Imul2 i -> modrm(b, p, EncBytes.sized(i.w()), 0x0FAF, i.dst().code(), i.src());
            case Insn.Imul3 i -> imul3(i, b, p);
            case Insn.MulDiv i -> modrm(b, p, EncBytes.digit(i.w()), byteOr(i.w(), 0xF6), 4 + i.op().ordinal(), i.src());
            case Insn.SignExtend i -> put(b, i.w() == Width.QWORD ? put(b, p, 0x48) : p, 0x99);
            case Insn.Shift i -> shift(i, b, p);
            case Insn.Cmov i -> modrm(b, p, EncBytes.sized(i.w()), 0x0F40 + i.cond().code(), i.dst().code(), i.src());
            case Insn.Setcc i -> modrm(b, p, F_RMB, 0x0F90 + i.cond().code(), 0, i.dst());
            case Insn.Jmp i -> i.rel8() ? imm(b, put(b, p, 0xEB), i.rel(), 1) : imm(b, put(b, p, 0xE9), i.rel(), 4);
            case Insn.Jcc i -> i.rel8()
                    ? imm(b, put(b, p, 0x70 + i.cond().code()), i.rel(), 1)
                    : imm(b, put(b, put(b, p, 0x0F), 0x80 + i.cond().code()), i.rel(), 4);
            case Insn.JmpInd i -> modrm(b, p, 0, 0xFF, 4, i.target());
            case Insn.Call i -> imm(b, put(b, p, 0xE8), i.rel(), 4);
            case Insn.CallInd i -> modrm(b, p, 0, 0xFF, 2, i.target());
            case Insn.Ret _ -> put(b, p, 0xC3);
            case Insn.Push i -> push(i, b, p);
            case Insn.Pop i -> switch (i.dst()) {
                case Reg r -> regInOpcode(b, p, 0, 0x58, r.code());
                case Mem m -> modrm(b, p, 0, 0x8F, 0, m);
                case Imm _ -> throw new AssertionError("pop of an immediate");
            };
            case Insn.Nop _ -> put(b, p, 0x90);
        };
    }

    /** {@code base} for byte operations, {@code base + 1} for the other widths. */
    private static int byteOr(Width w, int base) {
        return w == Width.BYTE ? base : base + 1;
    }

    /** Size of an immediate of width {@code w}: at most 4 bytes, sign-extended for QWORD. */
    private static int immBytes(Width w) {
        return w == Width.QWORD ? 4 : w.bytes;
    }

    private static boolean fitsByte(long v) {
        return v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
    }

    private static int mov(Insn.Mov i, byte[] b, int p) {
        Width w = i.w();
        return switch (i.src()) {
            case Reg s -> modrm(b, p, EncBytes.sized(w), byteOr(w, 0x88), s.code(), i.dst());
            case Mem s -> modrm(b, p, EncBytes.sized(w), byteOr(w, 0x8A), ((Reg) i.dst()).code(), s);
            case Imm(long v) -> switch (i.dst()) {
                case Reg d when w == Width.QWORD && v != (int) v -> imm(b, regInOpcode(b, p, F_W, 0xB8, d.code()), v, 8);
                case Reg d when w != Width.QWORD -> imm(b, regInOpcode(b, p, EncBytes.digit(w), w == Width.BYTE ? 0xB0 : 0xB8, d.code()), v, w.bytes);
                case Reg d -> imm(b, modrm(b, p, F_W, 0xC7, 0, d), v, 4);
                case Mem d -> imm(b, modrm(b, p, EncBytes.digit(w), byteOr(w, 0xC6), 0, d), v, immBytes(w));
                case Imm _ -> throw new AssertionError("mov to an immediate");
            };
        };
    }

    private static int movx(Insn.Movx i, byte[] b, int p) {
        int flags = switch (i.dw()) {
            case WORD -> F_66;
            case QWORD -> F_W;
            case BYTE, DWORD -> 0;
        };
        int opcode = switch (i.sw()) {
            case BYTE -> i.signed() ? 0x0FBE : 0x0FB6;
            case WORD -> i.signed() ? 0x0FBF : 0x0FB7;
            case DWORD, QWORD -> 0x63;
        };
        if (i.sw() == Width.BYTE) flags |= F_RMB;
        return modrm(b, p, flags, opcode, i.dst().code(), i.src());
    }

    private static int alu(Insn.Alu i, byte[] b, int p) {
        Width w = i.w();
        int row = i.op().ordinal() << 3;
        return switch (i.src()) {
            case Reg s -> modrm(b, p, EncBytes.sized(w), row + byteOr(w, 0x00), s.code(), i.dst());
            case Mem s -> modrm(b, p, EncBytes.sized(w), row + byteOr(w, 0x02), ((Reg) i.dst()).code(), s);
            case Imm(long v) -> {
                if (w != Width.BYTE && fitsByte(v)) {
                    yield imm(b, modrm(b, p, EncBytes.digit(w), 0x83, i.op().ordinal(), i.dst()), v, 1);
                }
                if (i.dst() == Reg.RAX) {
                    yield imm(b, EncBytes.prefixes(b, p, EncBytes.digit(w), row + byteOr(w, 0x04)), v, immBytes(w));
                }
                yield imm(b, modrm(b, p, EncBytes.digit(w), byteOr(w, 0x80), i.op().ordinal(), i.dst()), v, immBytes(w));
            }
        };
    }

    private static int test(Insn.Test i, byte[] b, int p) {
        Width w = i.w();
        return switch (i.src()) {
            case Reg s -> modrm(b, p, EncBytes.sized(w), byteOr(w, 0x84), s.code(), i.dst());
            case Imm(long v) when i.dst() == Reg.RAX ->
                    imm(b, EncBytes.prefixes(b, p, EncBytes.digit(w), byteOr(w, 0xA8)), v, immBytes(w));
            case Imm(long v) -> imm(b, modrm(b, p, EncBytes.digit(w), byteOr(w, 0xF6), 0, i.dst()), v, immBytes(w));
            case Mem _ -> throw new AssertionError("test with a memory source");
        };
    }

    private static int unary(Insn.Unary i, byte[] b, int p) {
        Width w = i.w();
        return switch (i.op()) {
            case INC -> modrm(b, p, EncBytes.digit(w), byteOr(w, 0xFE), 0, i.dst());
            case DEC -> modrm(b, p, EncBytes.digit(w), byteOr(w, 0xFE), 1, i.dst());
            case NOT -> modrm(b, p, EncBytes.digit(w), byteOr(w, 0xF6), 2, i.dst());
            case NEG -> modrm(b, p, EncBytes.digit(w), byteOr(w, 0xF6), 3, i.dst());
        };
    }

    private static int imul3(Insn.Imul3 i, byte[] b, int p) {
        int flags = EncBytes.sized(i.w());
        return fitsByte(i.imm())
                ? imm(b, modrm(b, p, flags, 0x6B, i.dst().code(), i.src()), i.imm(), 1)
                : imm(b, modrm(b, p, flags, 0x69, i.dst().code(), i.src()), i.imm(), immBytes(i.w()));
    }

    private static int shift(Insn.Shift i, byte[] b, int p) {
        Width w = i.w();
        int ext = switch (i.op()) {
            case SHL -> 4;
            case SHR -> 5;
            case SAR -> 7;
        };
        int flags = EncBytes.digit(w);
        return switch (i.count()) {
            case Imm(long v) when v == 1 -> modrm(b, p, flags, byteOr(w, 0xD0), ext, i.dst());
            case Imm(long v) -> imm(b, modrm(b, p, flags, byteOr(w, 0xC0), ext, i.dst()), v, 1);
            case Reg _ -> modrm(b, p, flags, byteOr(w, 0xD2), ext, i.dst());
            case Mem _ -> throw new AssertionError("shift count in memory");
        };
    }

    private static int push(Insn.Push i, byte[] b, int p) {
        return switch (i.src()) {
            case Reg r -> regInOpcode(b, p, 0, 0x50, r.code());
            case Imm(long v) when fitsByte(v) -> imm(b, put(b, p, 0x6A), v, 1);
            case Imm(long v) -> imm(b, put(b, p, 0x68), v, 4);
            case Mem m -> modrm(b, p, 0, 0xFF, 6, m);
        };
    }
}
