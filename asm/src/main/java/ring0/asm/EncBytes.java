package ring0.asm;

import ring0.isa.Imm;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * Byte-level building blocks of the {@link Encoder}: prefixes, REX, opcodes,
 * ModRM/SIB/displacement and immediates.
 *
 * <p>Every writer takes the output array and a position and returns the position
 * after what it wrote. A {@code null} array means "count only", which is how the
 * encoder computes lengths without a second implementation.
 */
final class EncBytes {
    private EncBytes() {}

    /** Operand-size prefix 0x66 (16-bit operation). */
    static final int F_66 = 1;
    /** REX.W (64-bit operation). */
    static final int F_W = 2;
    /** The ModRM reg field names a byte register (spl..dil then need a bare REX). */
    static final int F_REGB = 4;
    /** The r/m operand, if a register, is a byte register. */
    static final int F_RMB = 8;

    /** Flags for an instruction whose reg-field and r/m operands both have width {@code w}. */
    static int sized(Width w) {
        return switch (w) {
            case BYTE -> F_REGB | F_RMB;
            case WORD -> F_66;
            case DWORD -> 0;
            case QWORD -> F_W;
        };
    }

    /** Flags for a {@code /digit} instruction (the reg field is an opcode extension) of width {@code w}. */
    static int digit(Width w) {
        return switch (w) {
            case BYTE -> F_RMB;
            case WORD -> F_66;
            case DWORD -> 0;
            case QWORD -> F_W;
        };
    }

    /** Writes one byte. */
    static int put(byte[] b, int p, int v) {
        if (b != null) b[p] = (byte) v;
        return p + 1;
    }

    /** Writes the low {@code n} bytes of {@code v}, little-endian. */
    static int imm(byte[] b, int p, long v, int n) {
        if (b != null) {
            for (int k = 0; k < n; k++) b[p + k] = (byte) (v >>> (k << 3));
        }
        return p + n;
    }

    /** Writes a one-byte opcode, or a two-byte one given as {@code 0x0Fxx}. */
    private static int opcode(byte[] b, int p, int opcode) {
        if (opcode > 0xFF) p = put(b, p, opcode >>> 8);
        return put(b, p, opcode & 0xFF);
    }

    /** Writes the 0x66 prefix and a REX.W if the flags ask for them, then the opcode (no REX.R/X/B). */
    static int prefixes(byte[] b, int p, int flags, int opcode) {
        if ((flags & F_66) != 0) p = put(b, p, 0x66);
        if ((flags & F_W) != 0) p = put(b, p, 0x48);
        return opcode(b, p, opcode);
    }

    /** Writes {@code [66] [REX] opcode+reg}: the forms with the register in the low opcode bits. */
    static int regInOpcode(byte[] b, int p, int flags, int opcode, int reg) {
        if ((flags & F_66) != 0) p = put(b, p, 0x66);
        int rex = ((flags & F_W) != 0 ? 8 : 0) | (reg >= 8 ? 1 : 0);
        boolean bare = (flags & F_RMB) != 0 && reg >= 4 && reg < 8;
        if (rex != 0 || bare) p = put(b, p, 0x40 | rex);
        return put(b, p, opcode + (reg & 7));
    }

    /**
     * Writes {@code [66] [REX] opcode ModRM [SIB] [disp]}.
     *
     * @param reg the ModRM reg field: a register number 0..15 or an opcode extension 0..7
     * @param rm  the r/m operand, a register or a memory reference
     */
    static int modrm(byte[] b, int p, int flags, int opcode, int reg, Operand rm) {
        int rex = ((flags & F_W) != 0 ? 8 : 0) | (reg >= 8 ? 4 : 0);
        boolean bare = (flags & F_REGB) != 0 && reg >= 4 && reg < 8;
        switch (rm) {
            case Reg r -> {
                int c = r.code();
                if (c >= 8) rex |= 1;
                else if (c >= 4 && (flags & F_RMB) != 0) bare = true;
            }
            case Mem m -> {
                if (m.base() != null && m.base().extended()) rex |= 1;
                if (m.index() != null && m.index().extended()) rex |= 2;
            }
            case Imm _ -> throw new AssertionError("immediate as r/m operand");
        }
        if ((flags & F_66) != 0) p = put(b, p, 0x66);
        if (rex != 0 || bare) p = put(b, p, 0x40 | rex);
        p = opcode(b, p, opcode);
        int regBits = (reg & 7) << 3;
        return switch (rm) {
            case Reg r -> put(b, p, 0xC0 | regBits | (r.code() & 7));
            case Mem m -> mem(b, p, regBits, m);
            case Imm _ -> throw new AssertionError("immediate as r/m operand");
        };
    }

    /** Writes ModRM (with reg field {@code regBits}, already shifted), SIB and displacement for {@code m}. */
    private static int mem(byte[] b, int p, int regBits, Mem m) {
        int disp = m.disp();
        if (m.rip()) return imm(b, put(b, p, regBits | 0b101), disp, 4);
        int ss = Integer.numberOfTrailingZeros(m.scale()) << 6;
        Reg base = m.base();
        Reg index = m.index();
        if (base == null) {
            // Index without base: SIB base 101 with mod 00 means disp32 and no base.
            p = put(b, p, regBits | 0b100);
            p = put(b, p, ss | (index.code() & 7) << 3 | 0b101);
            return imm(b, p, disp, 4);
        }
        int bc = base.code() & 7;
        // rbp/r13 as base with mod 00 would mean "no base", so they always carry a displacement.
        int mod = disp == 0 && bc != 0b101 ? 0 : disp == (byte) disp ? 1 : 2;
        if (index != null || bc == 0b100) {
            // rsp/r12 as base need a SIB byte (rm 100 means "SIB follows"); index 100 means none.
            p = put(b, p, mod << 6 | regBits | 0b100);
            p = put(b, p, ss | (index == null ? 0b100 : index.code() & 7) << 3 | bc);
        } else {
            p = put(b, p, mod << 6 | regBits | bc);
        }
        return switch (mod) {
            case 0 -> p;
            case 1 -> imm(b, p, disp, 1);
            default -> imm(b, p, disp, 4);
        };
    }
}
