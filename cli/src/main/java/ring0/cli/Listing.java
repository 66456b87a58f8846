package ring0.cli;

import java.io.PrintWriter;
import ring0.isa.DecodeException;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Syntax;

/**
 * Prints a disassembly listing of one code section, decoded by the trusted
 * decoder: label headers, addresses, bytes in hex and each instruction in
 * ring0 syntax, with branch targets and RIP-relative references named after
 * the label they point into (as a {@code ;} comment, so the instruction text
 * still assembles). Bytes the decoder rejects are shown as
 * {@code (bad: reason)} and the listing goes on at the next byte.
 */
final class Listing {
    /** Hex bytes shown per line; longer instructions continue on the next line. */
    private static final int BYTES_PER_LINE = 8;
    /** Column at which label comments start, relative to the instruction text. */
    private static final int COMMENT_COLUMN = 32;

    private final PrintWriter out;
    private final Labels labels;
    /** Label preconditions by address, printed under each label header. */
    private final java.util.Map<Long, String> types;

    Listing(PrintWriter out, Labels labels) {
        this(out, labels, java.util.Map.of());
    }

    Listing(PrintWriter out, Labels labels, java.util.Map<Long, String> types) {
        this.out = out;
        this.labels = labels;
        this.types = types;
    }

    /**
     * Lists {@code code}, loaded at {@code address}.
     *
     * @return the number of places where the decoder rejected the bytes
     */
    int list(byte[] code, long address) {
        int bad = 0;
        int off = 0;
        while (off < code.length) {
            long at = address + off;
            for (Labels.Label l : labels.at(at)) {
                out.println();
                out.println(String.format("%016x <%s>:", at, l.name()));
            }
            String type = types.get(at);
            if (type != null) out.println("                  ; " + type);
            int length;
            String text;
            try {
                Decoded d = Decoder.decode(code, off, code.length);
                length = d.length();
                text = withTarget(Syntax.format(d.insn(), at, length), target(d.insn(), at, length));
            } catch (DecodeException e) {
                length = rejectedLength(code, off);
                text = "(bad: " + e.reason() + ")";
                bad++;
            }
            printLine(code, off, length, at, text);
            for (Labels.Label l : labels.between(at, at + length)) {
                out.printf("          ; label <%s> at %x is inside the instruction above%n", l.name(), l.address());
            }
            off += length;
        }
        return bad;
    }

    private void printLine(byte[] code, int off, int length, long at, String text) {
        StringBuilder line = new StringBuilder(96);
        for (int i = 0; i < length; i += BYTES_PER_LINE) {
            line.setLength(0);
            pad(line, Long.toHexString(at + i), 8).append(":  ");
            int end = Math.min(length, i + BYTES_PER_LINE);
            for (int j = i; j < end; j++) {
                int b = code[off + j] & 0xff;
                line.append(HEX[b >> 4]).append(HEX[b & 0xf]).append(' ');
            }
            if (i == 0) {
                for (int j = end - i; j < BYTES_PER_LINE; j++) line.append("   ");
                line.append(' ').append(text);
            } else {
                line.setLength(line.length() - 1);
            }
            out.println(line);
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Appends {@code s} right-aligned in {@code width} columns. */
    private static StringBuilder pad(StringBuilder b, String s, int width) {
        for (int i = s.length(); i < width; i++) b.append(' ');
        return b.append(s);
    }

    /** Appends {@code ; <label+0x..>} when the target address lies inside a known label. */
    private String withTarget(String text, long target) {
        if (target < 0) return text;
        String name = labels.describe(target);
        if (name == null) return text;
        StringBuilder b = new StringBuilder(text);
        do b.append(' '); while (b.length() < COMMENT_COLUMN);
        return b.append("; <").append(name).append('>').toString();
    }

    /**
     * The address an instruction refers to: a direct branch or call target, or a
     * RIP-relative memory operand; -1 if it has none. Both are relative to the
     * end of the instruction.
     */
    static long target(Insn insn, long at, int length) {
        long end = at + length;
        return switch (insn) {
            case Insn.Jmp j -> end + j.rel();
            case Insn.Jcc j -> end + j.rel();
            case Insn.Call c -> end + c.rel();
            default -> memory(insn) instanceof Mem m && m.rip() ? end + m.disp() : -1;
        };
    }

    /** The memory operand of an instruction, or {@code null} if it has none. */
    static Mem memory(Insn insn) {
        Operand[] ops = switch (insn) {
            case Insn.Mov i -> new Operand[] {i.dst(), i.src()};
            case Insn.Movx i -> new Operand[] {i.src()};
            case Insn.Lea i -> new Operand[] {i.src()};
            case Insn.Alu i -> new Operand[] {i.dst(), i.src()};
            case Insn.Test i -> new Operand[] {i.dst()};
            case Insn.Unary i -> new Operand[] {i.dst()};
            case Insn.Imul2 i -> new Operand[] {i.src()};
            case Insn.Imul3 i -> new Operand[] {i.src()};
            case Insn.MulDiv i -> new Operand[] {i.src()};
            case Insn.Shift i -> new Operand[] {i.dst()};
            case Insn.Cmov i -> new Operand[] {i.src()};
            case Insn.Setcc i -> new Operand[] {i.dst()};
            case Insn.JmpInd i -> new Operand[] {i.target()};
            case Insn.CallInd i -> new Operand[] {i.target()};
            case Insn.Push i -> new Operand[] {i.src()};
            case Insn.Pop i -> new Operand[] {i.dst()};
            case Insn.SignExtend _, Insn.Jmp _, Insn.Jcc _, Insn.Call _, Insn.Ret _, Insn.Nop _ -> new Operand[0];
        };
        for (Operand o : ops) if (o instanceof Mem m) return m;
        return null;
    }

    /**
     * How many bytes a rejected spot covers: the whole instruction for the
     * two-byte system-call forms the entry stub legitimately contains
     * ({@code syscall}, {@code sysenter}, {@code int n}), so the rest of the
     * stub lines up; one byte otherwise.
     */
    static int rejectedLength(byte[] code, int off) {
        if (off + 1 >= code.length) return 1;
        int b0 = code[off] & 0xff, b1 = code[off + 1] & 0xff;
        boolean twoByte = (b0 == 0x0f && (b1 == 0x05 || b1 == 0x34)) || b0 == 0xcd;
        return twoByte ? 2 : 1;
    }
}
