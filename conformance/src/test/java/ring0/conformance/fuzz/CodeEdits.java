package ring0.conformance.fuzz;

import java.util.Arrays;
import java.util.List;
import ring0.asm.Program;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Syntax;

/**
 * Edits of {@code .text} that know where the instructions are: drop, replace,
 * swap, duplicate or delete instructions, change a condition, a register field,
 * an immediate, or retarget a branch or a RIP-relative operand at a place that
 * matters (a label, the code after a label's poll, the stop block, an import
 * slot, the limit word, a data label, the unmapped gap before the data). The
 * polls and the stop block are instructions like any other here.
 */
final class CodeEdits {
    private CodeEdits() {}

    private static final int NOP = 0x90;

    static void any(Draft d) {
        List<Seed.Instr> body = d.seed.body();
        Seed.Instr in = d.pick(body.isEmpty() || d.chance(10) ? d.seed.insns() : body);
        switch (d.below(12)) {
            case 0 -> nopOut(d, in);
            case 1 -> replace(d, in);
            case 2 -> swapWithNext(d, in);
            case 3 -> registerField(d, in);
            case 4 -> condition(d);
            case 5, 6 -> branch(d);
            case 7, 8 -> ripTarget(d);
            case 9 -> immediate(d, in);
            case 10 -> delete(d, in);
            default -> duplicate(d, in);
        }
    }

    /** Edits one of the two instructions of a label's poll, or of the stop block. */
    static void poll(Draft d) {
        List<Seed.Instr> targets = d.seed.pollsAndStop();
        Seed.Instr in = d.pick(targets);
        switch (d.below(6)) {
            case 0 -> nopOut(d, in);
            case 1 -> registerField(d, in);
            case 2 -> immediate(d, in);
            case 3 -> {
                if (!retargetRip(d, in)) ByteEdits.any(d, range(d, in), "poll/stop");
            }
            case 4 -> {
                if (!retargetBranch(d, in)) ByteEdits.any(d, range(d, in), "poll/stop");
            }
            default -> ByteEdits.any(d, range(d, in), "poll/stop");
        }
    }

    private static void nopOut(Draft d, Seed.Instr in) {
        Arrays.fill(d.elf(), file(d, in.offset()), file(d, in.end()), (byte) NOP);
        d.step("nop out " + show(in));
    }

    /** Instruction {@code in} becomes another instruction of at most its length, padded with nops. */
    private static void replace(Draft d, Seed.Instr in) {
        List<Seed.Instr> fits = d.seed.insns().stream().filter(o -> o.length() <= in.length() && o != in).toList();
        if (fits.isEmpty()) {
            nopOut(d, in);
            return;
        }
        Seed.Instr src = d.pick(fits);
        byte[] b = d.elf();
        System.arraycopy(d.seed.elf(), file(d, src.offset()), b, file(d, in.offset()), src.length());
        Arrays.fill(b, file(d, in.offset()) + src.length(), file(d, in.end()), (byte) NOP);
        d.step("replace " + show(in) + " by a copy of " + show(src));
    }

    private static void swapWithNext(Draft d, Seed.Instr a) {
        int i = index(d, a);
        if (i + 1 >= d.seed.insns().size()) return;
        Seed.Instr b = d.seed.insns().get(i + 1);
        byte[] e = d.elf(), s = d.seed.elf();
        System.arraycopy(s, file(d, b.offset()), e, file(d, a.offset()), b.length());
        System.arraycopy(s, file(d, a.offset()), e, file(d, a.offset()) + b.length(), a.length());
        d.step("swap " + show(a) + " with the next " + show(b));
    }

    /** Flips a bit in the reg or r/m field of the byte after the opcode (most often the ModRM byte). */
    private static void registerField(Draft d, Seed.Instr in) {
        if (in.length() < 2) {
            ByteEdits.any(d, range(d, in), "text");
            return;
        }
        int k = 1 + d.below(Math.min(3, in.length() - 1));
        int bit = d.below(6);
        d.elf()[file(d, in.offset() + k)] ^= (byte) (1 << bit);
        d.step("flip bit " + bit + " of byte " + k + " of " + show(in));
    }

    /** A new condition for a conditional jump, set or move. */
    private static void condition(Draft d) {
        List<Seed.Instr> conds = d.seed.insns().stream()
                .filter(in -> in.insn() instanceof Insn.Jcc || in.insn() instanceof Insn.Setcc || in.insn() instanceof Insn.Cmov).toList();
        if (conds.isEmpty()) return;
        Seed.Instr in = d.pick(conds);
        byte[] b = d.elf();
        int at = -1;
        if (in.insn() instanceof Insn.Jcc j && j.rel8()) {
            at = file(d, in.offset());
        } else {
            for (int i = in.offset(); i + 1 < in.end(); i++) {
                int op = b[file(d, i) + 1] & 0xf0;
                if ((b[file(d, i)] & 0xff) == 0x0f && (op == 0x40 || op == 0x80 || op == 0x90)) {
                    at = file(d, i) + 1;
                    break;
                }
            }
        }
        if (at < 0) return;
        int cc = d.below(16);
        b[at] = (byte) (b[at] & 0xf0 | cc);
        d.step("condition of " + show(in) + " := " + cc);
    }

    /** A branch (jmp, jcc, call) to another place. */
    private static void branch(Draft d) {
        List<Seed.Instr> brs = d.seed.insns().stream()
                .filter(in -> in.insn() instanceof Insn.Jmp || in.insn() instanceof Insn.Jcc || in.insn() instanceof Insn.Call).toList();
        if (!brs.isEmpty()) retargetBranch(d, d.pick(brs));
    }

    private static boolean retargetBranch(Draft d, Seed.Instr in) {
        int width = switch (in.insn()) {
            case Insn.Jmp j -> j.rel8() ? 1 : 4;
            case Insn.Jcc j -> j.rel8() ? 1 : 4;
            case Insn.Call c -> 4;
            default -> 0;
        };
        if (width == 0) return false;
        int target = codeTarget(d);
        long rel = target - in.end();
        ByteEdits.put(d.elf(), file(d, in.end() - width), rel, width);
        long actual = ByteEdits.get(d.elf(), file(d, in.end() - width), width);
        d.step("retarget " + show(in) + " to image " + ByteEdits.hex(in.end() + actual));
        return true;
    }

    /** A place in the code worth jumping to. */
    private static int codeTarget(Draft d) {
        int[] labels = d.seed.labelOffsets();
        List<Seed.Instr> insns = d.seed.insns();
        return switch (d.below(7)) {
            case 0, 1 -> d.pick(labels);
            case 2 -> {
                // the first instruction after a label's poll
                int i = index(d, at(d, d.pick(labels))) + 2;
                yield i < insns.size() ? insns.get(i).offset() : d.seed.textLength();
            }
            case 3 -> d.pick(insns).offset();
            case 4 -> d.chance(50) ? 0 : 6;
            case 5 -> d.pick(insns).offset() + 1;
            default -> d.chance(50) ? d.seed.textLength() : d.seed.program().rwOffset();
        };
    }

    /** A RIP-relative operand to another place. */
    private static void ripTarget(Draft d) {
        List<Seed.Instr> rips = d.seed.insns().stream().filter(in -> ripMem(in.insn()) != null).toList();
        if (!rips.isEmpty()) retargetRip(d, d.pick(rips));
    }

    private static boolean retargetRip(Draft d, Seed.Instr in) {
        Mem m = ripMem(in.insn());
        if (m == null) return false;
        byte[] b = d.elf();
        int at = -1;
        for (int i = in.end() - 4; i >= in.offset(); i--) {
            if ((int) ByteEdits.get(b, file(d, i), 4) == m.disp()) {
                at = i;
                break;
            }
        }
        if (at < 0) return false;
        int target = dataTarget(d);
        ByteEdits.put(b, file(d, at), target - in.end(), 4);
        d.step("retarget " + show(in) + " to image " + ByteEdits.hex(target));
        return true;
    }

    /** A place in the image worth pointing a RIP-relative operand at. */
    private static int dataTarget(Draft d) {
        Program p = d.seed.program();
        List<TypesModel.Data> data = d.seed.types().data;
        return switch (d.below(9)) {
            case 0, 1 -> data.isEmpty() ? p.dataOffset() : d.pick(data).offset() + 8 * d.below(3);
            case 2 -> p.imports().isEmpty() ? p.rwOffset() : p.slotOffset(d.below(p.imports().size()));
            case 3 -> p.rwOffset();
            case 4 -> p.rwOffset() + 8;
            case 5 -> d.pick(d.seed.labelOffsets());
            case 6 -> p.rwOffset() - 8;
            case 7 -> p.dataOffset() + p.data().length + 8 * (d.below(3) - 1);
            default -> p.dataOffset() - 8;
        };
    }

    /** The last 1 or 4 bytes (usually an immediate or a displacement) get an interesting or nearby value. */
    private static void immediate(Draft d, Seed.Instr in) {
        byte[] b = d.elf();
        int width = in.length() >= 6 && d.chance(60) ? 4 : 1;
        int at = file(d, in.end() - width);
        long old = ByteEdits.get(b, at, width);
        long v = switch (d.below(3)) {
            case 0 -> old + (d.below(17) - 8);
            case 1 -> old + 8L * (d.below(5) - 2);
            default -> width == 4 ? d.pick(ByteEdits.INTERESTING_WORDS) : d.pick(ByteEdits.INTERESTING_BYTES);
        };
        ByteEdits.put(b, at, v, width);
        d.step("last " + width + " byte(s) of " + show(in) + ": " + old + " -> " + ByteEdits.get(b, at, width));
    }

    /** Removes an instruction: the rest of its region moves up, nops fill the end of the region. */
    private static void delete(Draft d, Seed.Instr in) {
        int end = regionEnd(d, in.offset());
        byte[] b = d.elf();
        System.arraycopy(d.seed.elf(), file(d, in.end()), b, file(d, in.offset()), end - in.end());
        Arrays.fill(b, file(d, end - in.length()), file(d, end), (byte) NOP);
        d.step("delete " + show(in) + " (region shifted up to " + ByteEdits.hex(end) + ")");
    }

    /** Doubles an instruction: the rest of its region moves down, what passes the region's end is lost. */
    private static void duplicate(Draft d, Seed.Instr in) {
        int end = regionEnd(d, in.offset());
        byte[] b = d.elf();
        int n = end - in.end() - in.length();
        if (n < 0) return;
        System.arraycopy(d.seed.elf(), file(d, in.offset()), b, file(d, in.end()), in.length() + n);
        d.step("duplicate " + show(in) + " (region shifted down to " + ByteEdits.hex(end) + ")");
    }

    /** The RIP-relative memory operand of an instruction, or null. */
    static Mem ripMem(Insn insn) {
        return switch (insn) {
            case Insn.Mov x -> rip(x.dst(), x.src());
            case Insn.Movx x -> rip(x.src());
            case Insn.Lea x -> rip(x.src());
            case Insn.Alu x -> rip(x.dst(), x.src());
            case Insn.Test x -> rip(x.dst(), x.src());
            case Insn.Unary x -> rip(x.dst());
            case Insn.Imul2 x -> rip(x.src());
            case Insn.Imul3 x -> rip(x.src());
            case Insn.MulDiv x -> rip(x.src());
            case Insn.Shift x -> rip(x.dst());
            case Insn.Cmov x -> rip(x.src());
            case Insn.Setcc x -> rip(x.dst());
            case Insn.JmpInd x -> rip(x.target());
            case Insn.CallInd x -> rip(x.target());
            case Insn.Push x -> rip(x.src());
            case Insn.Pop x -> rip(x.dst());
            case Insn.SignExtend x -> null;
            case Insn.Jmp x -> null;
            case Insn.Jcc x -> null;
            case Insn.Call x -> null;
            case Insn.Ret x -> null;
            case Insn.Nop x -> null;
        };
    }

    private static Mem rip(Operand... ops) {
        for (Operand o : ops) if (o instanceof Mem m && m.rip()) return m;
        return null;
    }

    /** Image offset where the region holding {@code offset} ends (next label, or the end of the text). */
    private static int regionEnd(Draft d, int offset) {
        for (int l : d.seed.labelOffsets()) if (l > offset) return l;
        return d.seed.textLength();
    }

    private static int index(Draft d, Seed.Instr in) {
        return d.seed.insns().indexOf(in);
    }

    private static Seed.Instr at(Draft d, int offset) {
        for (Seed.Instr in : d.seed.insns()) if (in.offset() == offset) return in;
        throw new IllegalStateException("no instruction at " + offset);
    }

    private static ElfMap.Range range(Draft d, Seed.Instr in) {
        return new ElfMap.Range(file(d, in.offset()), in.length());
    }

    /** File offset of image offset {@code imageOffset} in {@code .text}. */
    private static int file(Draft d, int imageOffset) {
        return d.seed.textStart() + imageOffset;
    }

    private static String show(Seed.Instr in) {
        return "[text+" + ByteEdits.hex(in.offset()) + " " + Syntax.format(in.insn(), in.offset(), in.length()) + "]";
    }
}
