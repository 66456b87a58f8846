package ring0.asm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * A tiny assembler for the Linux entry stub and its thunks: a list of
 * {@link Insn}s encoded by {@link Encoder}, plus labels, branches and
 * RIP-relative references resolved against labels or fixed addresses, plus the
 * two raw instructions the typed model deliberately lacks ({@code syscall} and
 * {@code int 0x80}). Branches start short and are widened until every
 * displacement fits.
 */
final class StubAssembler {
    /** {@code syscall}: not in the instruction model, so never in typed code. */
    static final byte[] SYSCALL = {0x0f, 0x05};
    /** {@code int 0x80}: not in the instruction model, so never in typed code. */
    static final byte[] INT80 = {(byte) 0xcd, (byte) 0x80};

    private sealed interface Item permits Fixed, Raw, Label, Branch, Call, RipRef {}
    private record Fixed(Insn insn) implements Item {}
    private record Raw(byte[] bytes) implements Item {}
    private record Label(String name) implements Item {}
    /** A jump to a label; {@code cond == null} is an unconditional jmp. */
    private static final class Branch implements Item {
        final Cond cond;
        final String target;
        boolean wide;
        Branch(Cond cond, String target) { this.cond = cond; this.target = target; }
    }
    private record Call(String target) implements Item {}
    private record RipRef(String target, Function<Mem, Insn> make) implements Item {}

    /** A function-like symbol inside the stub: name, offset from the stub start, size. */
    record Sym(String name, int offset, int size) {}

    /** The assembled stub: its bytes, its labels' addresses and its symbols. */
    record Result(byte[] code, Map<String, Long> addresses, List<Sym> symbols) {}

    private final long base;
    private final List<Item> items = new ArrayList<>();
    private final Map<String, Long> external = new HashMap<>();
    private final List<String> symbolNames = new ArrayList<>();

    /** @param base virtual address of the first byte */
    StubAssembler(long base) { this.base = base; }

    /** Gives a fixed address outside the stub a name that references may use. */
    void define(String name, long address) {
        if (external.put(name, address) != null) throw new IllegalStateException("duplicate name " + name);
    }

    /** Places a label here. */
    void label(String name) { items.add(new Label(name)); }

    /** Places a label here that also starts a symbol (which ends at the next symbol or the end). */
    void symbol(String name) {
        symbolNames.add(name);
        label(name);
    }

    void emit(Insn insn) { items.add(new Fixed(insn)); }

    void raw(byte[] bytes) { items.add(new Raw(bytes.clone())); }

    void jmp(String target) { items.add(new Branch(null, target)); }

    void jcc(Cond cond, String target) { items.add(new Branch(cond, target)); }

    void call(String target) { items.add(new Call(target)); }

    /** An instruction whose memory operand is {@code [rip + target]}; {@code make} builds it from the operand. */
    void rip(String target, Function<Mem, Insn> make) { items.add(new RipRef(target, make)); }

    // Shorthands for the instructions the stub uses; QWORD unless the name or a Width says otherwise.

    void mov(Width w, Operand dst, Operand src) { emit(new Insn.Mov(w, dst, src)); }

    void mov(Operand dst, Operand src) { mov(Width.QWORD, dst, src); }

    /** {@code mov r32, imm}: zero-extends into the full register. */
    void mov32(Reg dst, long imm) { mov(Width.DWORD, dst, new Imm(imm)); }

    /** {@code mov r64, imm} (sign-extended imm32 or a full imm64). */
    void movq(Reg dst, long imm) { mov(Width.QWORD, dst, new Imm(imm)); }

    void alu(Insn.AluOp op, Width w, Operand dst, Operand src) { emit(new Insn.Alu(op, w, dst, src)); }

    void alu(Insn.AluOp op, Operand dst, Operand src) { alu(op, Width.QWORD, dst, src); }

    void alu(Insn.AluOp op, Operand dst, long imm) { alu(op, Width.QWORD, dst, new Imm(imm)); }

    /** {@code xor r32, r32}: zeroes the register. */
    void zero(Reg r) { alu(Insn.AluOp.XOR, Width.DWORD, r, r); }

    void lea(Reg dst, Mem src) { emit(new Insn.Lea(Width.QWORD, dst, src)); }

    void test(Width w, Operand dst, Operand src) { emit(new Insn.Test(w, dst, src)); }

    void inc(Reg r) { emit(new Insn.Unary(Insn.UnaryOp.INC, Width.QWORD, r)); }

    /** {@code movzx r32, byte [m]}. */
    void movzxByte(Reg dst, Operand src) { emit(new Insn.Movx(Width.DWORD, dst, Width.BYTE, src, false)); }

    /** {@code movsxd r64, r/m32}. */
    void movsxd(Reg dst, Operand src) { emit(new Insn.Movx(Width.QWORD, dst, Width.DWORD, src, true)); }

    void shift(Insn.ShiftOp op, Width w, Reg dst, int count) { emit(new Insn.Shift(op, w, dst, new Imm(count))); }

    void push(Reg r) { emit(new Insn.Push(r)); }

    void pop(Reg r) { emit(new Insn.Pop(r)); }

    void ret() { emit(new Insn.Ret()); }

    /** {@code [base + disp]}. */
    static Mem at(Reg base, int disp) { return Mem.of(base, disp); }

    /** {@code [base + index*scale + disp]}. */
    static Mem at(Reg base, Reg index, int scale, int disp) { return Mem.of(base, index, scale, disp); }

    Result finish() {
        Map<String, Integer> labels;
        while (true) {
            labels = layout();
            boolean changed = false;
            int p = 0;
            for (Item it : items) {
                int len = length(it);
                if (it instanceof Branch b && !b.wide) {
                    long rel = target(labels, b.target) - (base + p + len);
                    if (rel != (byte) rel) { b.wide = true; changed = true; }
                }
                p += len;
            }
            if (!changed) break;
        }
        byte[] out = new byte[offsetAfter(items.size())];
        int p = 0;
        for (Item it : items) {
            int len = length(it);
            long end = base + p + len;
            switch (it) {
                case Fixed f -> Encoder.encode(f.insn(), out, p);
                case Raw r -> System.arraycopy(r.bytes(), 0, out, p, r.bytes().length);
                case Label _ -> { }
                case Branch b -> Encoder.encode(branch(b, rel32(target(labels, b.target) - end)), out, p);
                case Call c -> Encoder.encode(new Insn.Call(rel32(target(labels, c.target()) - end)), out, p);
                case RipRef r -> Encoder.encode(r.make().apply(Mem.rip(rel32(target(labels, r.target()) - end))), out, p);
            }
            p += len;
        }
        Map<String, Long> addresses = new HashMap<>();
        labels.forEach((k, v) -> addresses.put(k, base + v));
        List<Sym> syms = new ArrayList<>();
        for (int i = 0; i < symbolNames.size(); i++) {
            String n = symbolNames.get(i);
            int start = labels.get(n);
            int end = i + 1 < symbolNames.size() ? labels.get(symbolNames.get(i + 1)) : out.length;
            syms.add(new Sym(n, start, end - start));
        }
        return new Result(out, Map.copyOf(addresses), List.copyOf(syms));
    }

    private Map<String, Integer> layout() {
        Map<String, Integer> labels = new HashMap<>();
        int p = 0;
        for (Item it : items) {
            if (it instanceof Label(String name)) {
                if (labels.put(name, p) != null || external.containsKey(name)) throw new IllegalStateException("duplicate label " + name);
            }
            p += length(it);
        }
        return labels;
    }

    private int offsetAfter(int n) {
        int p = 0;
        for (int i = 0; i < n; i++) p += length(items.get(i));
        return p;
    }

    private long target(Map<String, Integer> labels, String name) {
        Integer off = labels.get(name);
        if (off != null) return base + off;
        Long abs = external.get(name);
        if (abs == null) throw new IllegalStateException("undefined label " + name);
        return abs;
    }

    private static int rel32(long rel) {
        if (rel != (int) rel) throw new IllegalStateException("displacement out of range: " + rel);
        return (int) rel;
    }

    private static Insn branch(Branch b, int rel) {
        return b.cond == null ? new Insn.Jmp(rel, !b.wide) : new Insn.Jcc(b.cond, rel, !b.wide);
    }

    /** Length of an item; independent of the displacement values (they are always 8 or 32 bits wide). */
    private static int length(Item it) {
        return switch (it) {
            case Fixed f -> Encoder.length(f.insn());
            case Raw r -> r.bytes().length;
            case Label _ -> 0;
            case Branch b -> Encoder.length(branch(b, 0));
            case Call _ -> Encoder.length(new Insn.Call(0));
            case RipRef r -> Encoder.length(r.make().apply(Mem.rip(0)));
        };
    }
}
