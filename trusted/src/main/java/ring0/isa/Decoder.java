package ring0.isa;

import static ring0.isa.Width.BYTE;
import static ring0.isa.Width.DWORD;
import static ring0.isa.Width.QWORD;
import static ring0.isa.Width.WORD;

import ring0.isa.Insn.AluOp;
import ring0.isa.Insn.MulDivOp;
import ring0.isa.Insn.ShiftOp;
import ring0.isa.Insn.UnaryOp;

/**
 * TRUSTED. The strict x86-64 decoder: accepts exactly the instruction forms of
 * {@link Insn} and rejects everything else, with the offset and a reason.
 *
 * <p>Accepted prefixes are at most one {@code 0x66} followed by at most one REX
 * immediately before the opcode, and only when they have an effect: every REX
 * bit must select something (REX.W a 64-bit operand size, REX.R a register in
 * ModRM.reg, REX.X a SIB index, REX.B a base, r/m or opcode register), a bare
 * {@code 0x40} must turn a byte register code 4..7 into spl..dil (without REX
 * those codes are ah..bh, which are rejected), and {@code 0x66} must select a
 * 16-bit operand size the model allows. A SIB byte without an index is accepted
 * only for base rsp/r12; absolute addresses are rejected.
 *
 * <p>Several encodings of one instruction are accepted where the hardware
 * defines them identically (both ModRM directions of register-to-register
 * forms, accumulator and short-immediate forms, {@code C7} and {@code B8+r},
 * {@code D1} and {@code C1 ib 1}, redundant displacement sizes); they decode
 * to the same {@link Insn}, and {@link Decoded#length()} tells them apart.
 */
public final class Decoder {
    private static final int REX_W = 8, REX_R = 4, REX_X = 2, REX_B = 1;
    private static final AluOp[] ALU = AluOp.values();
    private static final UnaryOp[] UNARY = UnaryOp.values();
    private static final MulDivOp[] MULDIV = MulDivOp.values();
    /** Bytes that are a (rejected) prefix where the opcode should be. */
    private static final boolean[] PREFIXES = new boolean[256];

    static {
        for (int b : new int[] {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67, 0xF0, 0xF2, 0xF3}) PREFIXES[b] = true;
        for (int b = 0x40; b < 0x50; b++) PREFIXES[b] = true;
    }

    private final byte[] code;
    private final int start;
    private final int limit;
    private int pos;
    /** The REX byte, or 0 if there is none. */
    private int rex;
    /** REX bits that selected something. */
    private int rexUsed;
    /** A byte register spl..dil was named, which needs a REX prefix. */
    private boolean lowByteNeedsRex;
    private boolean opsize;
    private boolean opsizeUsed;
    private int mod;
    private int regField;
    private int rmField;

    private Decoder(byte[] code, int start, int limit) {
        this.code = code;
        this.start = start;
        this.limit = limit;
        this.pos = start;
    }

    /**
     * Decodes the one instruction that starts at {@code offset}.
     *
     * @param code   the code bytes
     * @param offset where the instruction starts
     * @param limit  end of the code: bytes at or beyond it (or beyond the array) do not exist
     * @return the instruction and its length
     * @throws DecodeException if the bytes are not an instruction of the supported subset;
     *         nothing else is ever thrown
     */
    public static Decoded decode(byte[] code, int offset, int limit) throws DecodeException {
        if (code == null || offset < 0 || offset > Math.min(limit, code.length)) {
            throw new DecodeException(offset, "offset outside the code");
        }
        Decoder d = new Decoder(code, offset, Math.min(limit, code.length));
        Insn insn;
        try {
            insn = d.instruction();
        } catch (IllegalArgumentException e) {
            // Unreachable if the decoder is right; fail closed if it is not.
            throw new DecodeException(offset, "internal error: " + e.getMessage());
        }
        d.checkPrefixesUsed(insn);
        return new Decoded(insn, d.pos - offset);
    }

    private Insn instruction() throws DecodeException {
        int b = next();
        if (b == 0x66) {
            opsize = true;
            b = next();
        }
        if ((b & 0xF0) == 0x40) {
            rex = b;
            b = next();
            if (opsize && (rex & REX_W) != 0) throw reject("prefix 0x66 together with REX.W is not allowed");
        }
        if (PREFIXES[b]) throw reject(DecNames.prefix(b, rex != 0));
        return oneByte(b);
    }

    private Insn oneByte(int op) throws DecodeException {
        if (op < 0x40 && (op & 7) < 6) return aluRow(ALU[op >> 3], op & 7);
        switch (op & 0xF8) {
            case 0x50: return new Insn.Push(plusReg(op, QWORD));
            case 0x58: return new Insn.Pop(plusReg(op, QWORD));
            case 0xB0: return new Insn.Mov(BYTE, plusReg(op, BYTE), imm(BYTE));
            case 0xB8: {
                Width w = vsize();
                Reg r = plusReg(op, w);
                return new Insn.Mov(w, r, w == QWORD ? new Imm(imm64()) : imm(w));
            }
            default: break;
        }
        if ((op & 0xF0) == 0x70) return new Insn.Jcc(Cond.of(op & 15), imm8(), true);
        return switch (op) {
            case 0x0F -> twoByte(next());
            case 0x63 -> movsxd();
            case 0x68 -> new Insn.Push(new Imm(imm32()));
            case 0x69, 0x6B -> imul3(op == 0x6B);
            case 0x6A -> new Insn.Push(new Imm(imm8()));
            case 0x80, 0x81, 0x83 -> group1(op);
            case 0x84, 0x85 -> {
                Width w = size(op);
                modrm();
                yield new Insn.Test(w, rm(w), reg(w));
            }
            case 0x88, 0x89 -> {
                Width w = size(op);
                modrm();
                yield new Insn.Mov(w, rm(w), reg(w));
            }
            case 0x8A, 0x8B -> {
                Width w = size(op);
                modrm();
                yield new Insn.Mov(w, reg(w), rm(w));
            }
            case 0x8D -> lea();
            case 0x8F -> {
                modrm();
                if (regField != 0) throw reject(DecNames.group(op, regField));
                yield new Insn.Pop(rm(QWORD));
            }
            case 0x90 -> {
                if ((rex & REX_B) != 0) throw reject("xchg is not allowed");
                yield new Insn.Nop();
            }
            case 0x99 -> new Insn.SignExtend(dq());
            case 0xA8, 0xA9 -> {
                Width w = size(op);
                yield new Insn.Test(w, Reg.RAX, imm(w));
            }
            case 0xC0, 0xC1, 0xD0, 0xD1, 0xD2, 0xD3 -> shift(op);
            case 0xC3 -> new Insn.Ret();
            case 0xC6, 0xC7 -> {
                Width w = size(op);
                modrm();
                if (regField != 0) throw reject(DecNames.group(op, regField));
                yield new Insn.Mov(w, rm(w), imm(w));
            }
            case 0xE8 -> new Insn.Call(imm32());
            case 0xE9 -> new Insn.Jmp(imm32(), false);
            case 0xEB -> new Insn.Jmp(imm8(), true);
            case 0xF6, 0xF7 -> group3(op);
            case 0xFE -> group4();
            case 0xFF -> group5();
            default -> throw reject(DecNames.oneByte(op));
        };
    }

    private Insn twoByte(int op) throws DecodeException {
        Cond cond = Cond.of(op & 15);
        switch (op & 0xF0) {
            case 0x40: {
                Width w = vsize();
                modrm();
                return new Insn.Cmov(cond, w, reg(w), rm(w));
            }
            case 0x80: return new Insn.Jcc(cond, imm32(), false);
            case 0x90: {
                modrm();
                if (regField != 0) throw reject("setcc needs ModRM.reg = 0");
                return new Insn.Setcc(cond, rm(BYTE));
            }
            default: break;
        }
        return switch (op) {
            case 0xAF -> {
                Width w = vsize();
                modrm();
                yield new Insn.Imul2(w, reg(w), rm(w));
            }
            case 0xB6, 0xBE -> {
                Width w = vsize();
                modrm();
                yield new Insn.Movx(w, reg(w), BYTE, rm(BYTE), op == 0xBE);
            }
            case 0xB7, 0xBF -> {
                Width w = dq();
                modrm();
                yield new Insn.Movx(w, reg(w), WORD, rm(WORD), op == 0xBF);
            }
            default -> throw reject(DecNames.twoByte(op));
        };
    }

    /** Opcodes 00..3D: the four /r forms and the accumulator-immediate forms of one ALU row. */
    private Insn aluRow(AluOp aluOp, int form) throws DecodeException {
        Width w = size(form);
        if (form >= 4) return new Insn.Alu(aluOp, w, Reg.RAX, imm(w));
        modrm();
        if (form < 2) return new Insn.Alu(aluOp, w, rm(w), reg(w));
        return new Insn.Alu(aluOp, w, reg(w), rm(w));
    }

    /** 80, 81, 83: ALU r/m, imm (83 takes a sign-extended imm8). */
    private Insn group1(int op) throws DecodeException {
        Width w = size(op);
        modrm();
        AluOp aluOp = ALU[regField];
        Operand dst = rm(w);
        return new Insn.Alu(aluOp, w, dst, op == 0x83 ? new Imm(imm8()) : imm(w));
    }

    /** C0/C1 by imm8, D0/D1 by 1, D2/D3 by cl; only shl (/4), shr (/5) and sar (/7). */
    private Insn shift(int op) throws DecodeException {
        Width w = size(op);
        modrm();
        ShiftOp shiftOp = switch (regField) {
            case 4 -> ShiftOp.SHL;
            case 5 -> ShiftOp.SHR;
            case 7 -> ShiftOp.SAR;
            default -> throw reject(DecNames.group(op, regField));
        };
        Operand dst = rm(w);
        Operand count = switch (op) {
            case 0xC0, 0xC1 -> new Imm(next());
            case 0xD0, 0xD1 -> new Imm(1);
            default -> Reg.RCX;
        };
        return new Insn.Shift(shiftOp, w, dst, count);
    }

    /** F6/F7: test r/m, imm (/0), not, neg, mul, imul, div, idiv (/2../7). */
    private Insn group3(int op) throws DecodeException {
        Width w = size(op);
        modrm();
        return switch (regField) {
            case 0 -> new Insn.Test(w, rm(w), imm(w));
            case 1 -> throw reject(DecNames.group(op, regField));
            case 2, 3 -> new Insn.Unary(UNARY[regField], w, rm(w));
            default -> new Insn.MulDiv(MULDIV[regField - 4], w, rm(w));
        };
    }

    /** FE: inc/dec r/m8. */
    private Insn group4() throws DecodeException {
        modrm();
        if (regField > 1) throw reject(DecNames.group(0xFE, regField));
        return new Insn.Unary(UNARY[regField], BYTE, rm(BYTE));
    }

    /** FF: inc/dec r/m, call/jmp/push r/m64. */
    private Insn group5() throws DecodeException {
        modrm();
        return switch (regField) {
            case 0, 1 -> {
                Width w = vsize();
                yield new Insn.Unary(UNARY[regField], w, rm(w));
            }
            case 2 -> new Insn.CallInd(rm(QWORD));
            case 4 -> new Insn.JmpInd(rm(QWORD));
            case 6 -> new Insn.Push(rm(QWORD));
            default -> throw reject(DecNames.group(0xFF, regField));
        };
    }

    private Insn imul3(boolean imm8) throws DecodeException {
        Width w = vsize();
        modrm();
        Reg dst = reg(w);
        Operand src = rm(w);
        return new Insn.Imul3(w, dst, src, imm8 ? imm8() : imm(w).value());
    }

    private Insn lea() throws DecodeException {
        Width w = dq();
        modrm();
        if (mod == 3) throw reject("lea with a register operand is not allowed");
        return new Insn.Lea(w, reg(w), mem());
    }

    private Insn movsxd() throws DecodeException {
        if ((rex & REX_W) == 0) throw reject("movsxd without REX.W is not allowed");
        rexUsed |= REX_W;
        modrm();
        return new Insn.Movx(QWORD, reg(QWORD), DWORD, rm(DWORD), true);
    }

    // ---- operand size ----

    /** Byte size for even opcodes of a pair (88/89, C6/C7, ...), otherwise 16/32/64. */
    private Width size(int op) {
        return (op & 1) == 0 ? BYTE : vsize();
    }

    /** 16, 32 or 64 bits, selected by 0x66 and REX.W. */
    private Width vsize() {
        if ((rex & REX_W) != 0) {
            rexUsed |= REX_W;
            return QWORD;
        }
        if (opsize) {
            opsizeUsed = true;
            return WORD;
        }
        return DWORD;
    }

    /** 32 or 64 bits, selected by REX.W (0x66 is left unused, so it is rejected). */
    private Width dq() {
        if ((rex & REX_W) != 0) {
            rexUsed |= REX_W;
            return QWORD;
        }
        return DWORD;
    }

    // ---- operands ----

    private void modrm() throws DecodeException {
        int m = next();
        mod = m >> 6;
        regField = (m >> 3) & 7;
        rmField = m & 7;
    }

    /** The register in ModRM.reg. */
    private Reg reg(Width w) throws DecodeException {
        rexUsed |= REX_R;
        return gpr(regField | (rex & REX_R) << 1, w);
    }

    /** The register or memory operand in ModRM.rm. */
    private Operand rm(Width w) throws DecodeException {
        if (mod != 3) return mem();
        rexUsed |= REX_B;
        return gpr(rmField | (rex & REX_B) << 3, w);
    }

    /** The register in the low three bits of the opcode (50+r, B8+r, ...). */
    private Reg plusReg(int op, Width w) throws DecodeException {
        rexUsed |= REX_B;
        return gpr(op & 7 | (rex & REX_B) << 3, w);
    }

    private Reg gpr(int number, Width w) throws DecodeException {
        if (w == BYTE && number >= 4 && number < 8) {
            if (rex == 0) throw reject(DecNames.highByte(number));
            lowByteNeedsRex = true;
        }
        return Reg.of(number);
    }

    private Mem mem() throws DecodeException {
        if (mod == 0 && rmField == 5) return Mem.rip(imm32());
        if (rmField != 4) {
            rexUsed |= REX_B;
            return Mem.of(Reg.of(rmField | (rex & REX_B) << 3), disp());
        }
        int sib = next();
        int scaleBits = sib >> 6;
        int indexNumber = (sib >> 3) & 7 | (rex & REX_X) << 2;
        int baseBits = sib & 7;
        rexUsed |= REX_X;
        Reg index = indexNumber == 4 ? null : Reg.of(indexNumber);
        if (mod == 0 && baseBits == 5) {
            if (index == null) throw reject("absolute addressing is not supported");
            return new Mem(null, index, 1 << scaleBits, imm32(), false);
        }
        if (index == null && baseBits != 4) throw reject("SIB byte without an index is only allowed for base rsp or r12");
        if (index == null && scaleBits != 0) throw reject("SIB scale without an index");
        rexUsed |= REX_B;
        Reg base = Reg.of(baseBits | (rex & REX_B) << 3);
        return new Mem(base, index, 1 << scaleBits, disp(), false);
    }

    private int disp() throws DecodeException {
        return switch (mod) {
            case 1 -> imm8();
            case 2 -> imm32();
            default -> 0;
        };
    }

    // ---- immediates ----

    /** An immediate of an operation of width {@code w}: imm8, imm16, or imm32 (sign-extended for 64 bits). */
    private Imm imm(Width w) throws DecodeException {
        return new Imm(switch (w) {
            case BYTE -> imm8();
            case WORD -> (short) (next() | next() << 8);
            case DWORD, QWORD -> imm32();
        });
    }

    private int imm8() throws DecodeException {
        return (byte) next();
    }

    private int imm32() throws DecodeException {
        need(4);
        int v = (code[pos] & 0xFF) | (code[pos + 1] & 0xFF) << 8 | (code[pos + 2] & 0xFF) << 16 | code[pos + 3] << 24;
        pos += 4;
        return v;
    }

    private long imm64() throws DecodeException {
        long lo = imm32() & 0xFFFF_FFFFL;
        return lo | (long) imm32() << 32;
    }

    private int next() throws DecodeException {
        need(1);
        return code[pos++] & 0xFF;
    }

    private void need(int n) throws DecodeException {
        if (limit - pos < n) throw reject("truncated instruction");
    }

    // ---- prefix usage ----

    private void checkPrefixesUsed(Insn insn) throws DecodeException {
        int unused = rex & 0xF & ~rexUsed;
        if (unused != 0) {
            throw reject(DecNames.rexBit(Integer.highestOneBit(unused)) + " has no effect on " + Syntax.mnemonic(insn));
        }
        if (rex == 0x40 && !lowByteNeedsRex) throw reject("REX prefix 0x40 has no effect on " + Syntax.mnemonic(insn));
        if (opsize && !opsizeUsed) throw reject("prefix 0x66 is not allowed on " + Syntax.mnemonic(insn));
    }

    private DecodeException reject(String reason) {
        return new DecodeException(start, reason);
    }
}
