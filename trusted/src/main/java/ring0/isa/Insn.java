package ring0.isa;

/**
 * The closed set of instruction forms ring0 supports: exactly what the strict
 * decoder accepts and the encoder emits. Each record validates its operands in
 * its constructor, so every instance is encodable.
 *
 * <p>Branch displacements ({@code rel}) are relative to the end of the
 * instruction, as in the machine encoding.
 */
public sealed interface Insn {

    /** ALU operations in ModRM {@code /digit} order (00..3D opcode rows). */
    enum AluOp { ADD, OR, ADC, SBB, AND, SUB, XOR, CMP }

    /** Group-3/4/5 unary operations. */
    enum UnaryOp { INC, DEC, NOT, NEG }

    /** Group-3 multiply/divide operations on rdx:rax. */
    enum MulDivOp { MUL, IMUL, DIV, IDIV }

    /** Shift operations (group 2, /4 /5 /7). */
    enum ShiftOp { SHL, SHR, SAR }

    /** {@code mov dst, src}: r/m←r, r←r/m, r/m←imm, or (QWORD, register destination) r←imm64. */
    record Mov(Width w, Operand dst, Operand src) implements Insn {
        public Mov {
            Checks.nonNull(w, dst, src);
            Checks.notBoth(dst, src);
            Checks.notImm(dst);
            if (src instanceof Imm(long v) && !(w == Width.QWORD && dst instanceof Reg)) Checks.imm(w, v);
        }
    }

    /**
     * {@code movzx}/{@code movsx}/{@code movsxd}: {@code dst} (width {@code dw}) from
     * {@code src} (width {@code sw}). Forms: 8→16/32/64, 16→32/64 (zero or sign),
     * 32→64 sign ({@code movsxd}).
     */
    record Movx(Width dw, Reg dst, Width sw, Operand src, boolean signed) implements Insn {
        public Movx {
            Checks.nonNull(dw, dst, sw, src);
            Checks.notImm(src);
            boolean ok = switch (sw) {
                case BYTE -> dw != Width.BYTE;
                case WORD -> dw == Width.DWORD || dw == Width.QWORD;
                case DWORD -> signed && dw == Width.QWORD;
                case QWORD -> false;
            };
            if (!ok) throw new IllegalArgumentException("movx " + sw + "->" + dw + (signed ? " signed" : " zero"));
        }
    }

    /** {@code lea dst, [mem]} at 32 or 64 bits. */
    record Lea(Width w, Reg dst, Mem src) implements Insn {
        public Lea {
            Checks.nonNull(w, dst, src);
            Checks.width(w, Width.DWORD, Width.QWORD);
        }
    }

    /** Two-operand ALU instruction ({@code add, or, adc, sbb, and, sub, xor, cmp}). */
    record Alu(AluOp op, Width w, Operand dst, Operand src) implements Insn {
        public Alu {
            Checks.nonNull(op, w, dst, src);
            Checks.notBoth(dst, src);
            Checks.notImm(dst);
            if (src instanceof Imm(long v)) Checks.imm(w, v);
        }
    }

    /** {@code test dst, src}: r/m with r, or r/m with imm. */
    record Test(Width w, Operand dst, Operand src) implements Insn {
        public Test {
            Checks.nonNull(w, dst, src);
            Checks.notBoth(dst, src);
            Checks.notImm(dst);
            if (src instanceof Mem) throw new IllegalArgumentException("test source cannot be memory");
            if (src instanceof Imm(long v)) Checks.imm(w, v);
        }
    }

    /** {@code inc, dec, not, neg} on a register or memory. */
    record Unary(UnaryOp op, Width w, Operand dst) implements Insn {
        public Unary {
            Checks.nonNull(op, w, dst);
            Checks.notImm(dst);
        }
    }

    /** {@code imul dst, src} (16/32/64 bits). */
    record Imul2(Width w, Reg dst, Operand src) implements Insn {
        public Imul2 {
            Checks.nonNull(w, dst, src);
            Checks.notImm(src);
            Checks.notByte(w);
        }
    }

    /** {@code imul dst, src, imm} (16/32/64 bits). */
    record Imul3(Width w, Reg dst, Operand src, long imm) implements Insn {
        public Imul3 {
            Checks.nonNull(w, dst, src);
            Checks.notImm(src);
            Checks.notByte(w);
            Checks.imm(w, imm);
        }
    }

    /** One-operand {@code mul, imul, div, idiv} on rdx:rax (or ax for bytes). */
    record MulDiv(MulDivOp op, Width w, Operand src) implements Insn {
        public MulDiv {
            Checks.nonNull(op, w, src);
            Checks.notImm(src);
        }
    }

    /** {@code cdq} (DWORD: edx ← sign of eax) or {@code cqo} (QWORD: rdx ← sign of rax). */
    record SignExtend(Width w) implements Insn {
        public SignExtend {
            Checks.nonNull(w);
            Checks.width(w, Width.DWORD, Width.QWORD);
        }
    }

    /** {@code shl, shr, sar} by an immediate 0..255 or by {@code cl} ({@code count == Reg.RCX}). */
    record Shift(ShiftOp op, Width w, Operand dst, Operand count) implements Insn {
        public Shift {
            Checks.nonNull(op, w, dst, count);
            Checks.notImm(dst);
            if (count instanceof Imm(long v)) {
                if (v < 0 || v > 255) throw new IllegalArgumentException("shift count " + v);
            } else if (count != Reg.RCX) {
                throw new IllegalArgumentException("shift count must be an immediate or cl");
            }
        }
    }

    /** {@code cmovcc dst, src} (16/32/64 bits). */
    record Cmov(Cond cond, Width w, Reg dst, Operand src) implements Insn {
        public Cmov {
            Checks.nonNull(cond, w, dst, src);
            Checks.notImm(src);
            Checks.notByte(w);
        }
    }

    /** {@code setcc dst} (one byte). */
    record Setcc(Cond cond, Operand dst) implements Insn {
        public Setcc {
            Checks.nonNull(cond, dst);
            Checks.notImm(dst);
        }
    }

    /** {@code jmp rel} with an 8-bit ({@code rel8}) or 32-bit displacement. */
    record Jmp(int rel, boolean rel8) implements Insn {
        public Jmp { if (rel8) Checks.imm(Width.BYTE, rel); }
    }

    /** {@code jcc rel} with an 8-bit ({@code rel8}) or 32-bit displacement. */
    record Jcc(Cond cond, int rel, boolean rel8) implements Insn {
        public Jcc {
            Checks.nonNull(cond);
            if (rel8) Checks.imm(Width.BYTE, rel);
        }
    }

    /** {@code jmp r/m64}. */
    record JmpInd(Operand target) implements Insn {
        public JmpInd {
            Checks.nonNull(target);
            Checks.notImm(target);
        }
    }

    /** {@code call rel32}. */
    record Call(int rel) implements Insn {}

    /** {@code call r/m64}, including {@code call [rel slot]} through an import slot. */
    record CallInd(Operand target) implements Insn {
        public CallInd {
            Checks.nonNull(target);
            Checks.notImm(target);
        }
    }

    /** {@code ret}. */
    record Ret() implements Insn {}

    /** {@code push r64 / imm (sign-extended to 64) / m64}. */
    record Push(Operand src) implements Insn {
        public Push {
            Checks.nonNull(src);
            if (src instanceof Imm(long v)) Checks.imm(Width.QWORD, v);
        }
    }

    /** {@code pop r64 / m64}. */
    record Pop(Operand dst) implements Insn {
        public Pop {
            Checks.nonNull(dst);
            Checks.notImm(dst);
        }
    }

    /** {@code nop} (the one-byte 0x90). */
    record Nop() implements Insn {}
}
