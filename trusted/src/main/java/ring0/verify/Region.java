package ring0.verify;

import static ring0.isa.Width.BYTE;
import static ring0.isa.Width.DWORD;
import static ring0.isa.Width.QWORD;
import static ring0.isa.Width.WORD;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ring0.isa.Cond;
import ring0.isa.DecodeException;
import ring0.isa.Decoded;
import ring0.isa.Decoder;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Operand;
import ring0.isa.Reg;
import ring0.isa.Width;

/**
 * TRUSTED. Checks the regions of a program one at a time (docs/types.md §5):
 * decodes the region, checks its poll, then applies one rule per instruction
 * form to the abstract state (one switch over {@link Insn}), starting from the
 * label's precondition. The data-flow rules are in {@link Rules}, memory
 * operands are resolved by {@link Memory}, control transfers are checked by
 * {@link Flow}; this class holds the walk, the coercions, and the helpers that
 * read and write values.
 *
 * <p>Each rule is written as: read the operands (which checks that they may be
 * read), check what the rule requires, then apply its effect.
 */
final class Region {
    /** The stack budget of a region: bytes it may grow below the rsp of its poll. */
    static final int STACK_BUDGET = 32 * 1024;

    final Program prog;
    final TypeEnv env;
    final State st = new State();
    final Knowledge k = new Knowledge();
    final Memory mem = new Memory(this);
    final Flow flow = new Flow(this);
    /** Built in the constructor, after {@link #env}: it copies the fields it uses. */
    final Rules rules;
    private long nextSym;

    /** The instruction being checked: image offset, instruction and length. */
    int at;
    Insn insn;
    int len;
    /** Renaming of the current label's variables to this region's rigid variables. */
    private Subst rho;
    /**
     * The renaming and the renamed precondition of each label type met, by identity
     * (labels with the same precondition text share their type). Regions of labels
     * sharing a type use the same rigid variables; that is safe because one region's
     * state is gone before the next region is checked, so rigid variables of two
     * regions never meet.
     */
    private final Map<Type.Code, Entry> entries = new IdentityHashMap<>();

    /** What {@link #enter} needs of a label type: the renaming of its variables and its renamed precondition. */
    private record Entry(Subst rho, Pre pre) {}
    /** An {@code alloc t} coercion waiting for its {@code call [rel alloc]}. */
    Type.Rec pendingAlloc;
    /** Coercions not yet applied, in offset order. */
    private int nextCoercion;
    int instructions;

    Region(Program prog) {
        this.prog = prog;
        this.env = prog.env;
        this.rules = new Rules(this);
    }

    // ------------------------------------------------------------------ the walk

    /** Checks the region of label {@code li}. */
    void check(int li) throws IllTyped {
        TypesSection.LabelDecl label = prog.labels().get(li);
        int end = prog.regionEnd(li);
        int off = checkPoll(label, end);
        List<TypesSection.CoercionDecl> cs = prog.types.coercions();
        if (nextCoercion < cs.size() && cs.get(nextCoercion).offset() < off) {
            throw prog.inSection(cs.get(nextCoercion).at(), "coercion on the poll: coercions apply to instructions after it");
        }
        enter(label);
        boolean ended = false;
        while (off < end) {
            Decoded d = decode(off, end);
            at = off;
            insn = d.insn();
            len = d.length();
            instructions++;
            if (ended) throw reject("unreachable code: the instruction before does not continue here");
            while (nextCoercion < cs.size() && cs.get(nextCoercion).offset() == off) coerce(cs.get(nextCoercion++));
            ended = step(insn);
            if (pendingAlloc != null) throw reject("alloc coercion is not on a call [rel alloc]");
            off += len;
        }
        if (nextCoercion < cs.size() && cs.get(nextCoercion).offset() < end) {
            throw prog.inSection(cs.get(nextCoercion).at(), "coercion at offset 0x"
                    + Integer.toHexString(cs.get(nextCoercion).offset()) + " is not at the start of an instruction");
        }
        if (!ended) {
            at = end;
            insn = null;
            len = 0;
            if (li + 1 >= prog.labels().size()) throw reject("falls off the end of .text");
            flow.jumpTo(li + 1, "fall through");
        }
    }

    /** Checks the poll at the start of the region; returns the offset after it. */
    private int checkPoll(TypesSection.LabelDecl label, int end) throws IllTyped {
        int off = label.offset();
        Decoded cmp = decode(off, end);
        at = off;
        insn = cmp.insn();
        len = cmp.length();
        instructions++;
        if (!(insn instanceof Insn.Alu a && a.op() == Insn.AluOp.CMP && a.w() == QWORD && a.dst() == Reg.RSP
                && a.src() instanceof Mem m && m.rip() && (long) off + len + m.disp() == Layout.limitOffset(prog.image))) {
            throw reject("missing poll: a label must start with cmp rsp, [rel limit]");
        }
        off += len;
        Decoded jbe = decode(off, end);
        at = off;
        insn = jbe.insn();
        len = jbe.length();
        instructions++;
        if (!(insn instanceof Insn.Jcc j && j.cond() == Cond.BE && (long) off + len + j.rel() == Layout.STOP_BLOCK)) {
            throw reject("missing poll: cmp rsp, [rel limit] must be followed by jbe to the stop block");
        }
        return off + len;
    }

    private Decoded decode(int off, int end) throws IllTyped {
        Decoded d;
        try {
            d = Decoder.decode(prog.text, off, prog.text.length);
        } catch (DecodeException e) {
            at = off;
            insn = null;
            len = 0;
            throw reject("cannot decode: " + e.reason());
        }
        if (off + d.length() > end) {
            at = off;
            insn = d.insn();
            len = d.length();
            int li = prog.labelAt(end);
            throw reject("instruction crosses into " + (li >= 0 ? "label " + prog.labels().get(li).name() : "the end of .text"));
        }
        return d;
    }

    /** The state at the start of a label: its precondition with its variables made rigid. */
    private void enter(TypesSection.LabelDecl label) {
        Entry e = entries.get(label.type());
        if (e == null) {
            Subst s = Subst.freshen(label.type().params());
            e = new Entry(s, s.apply(label.type().pre()));
            entries.put(label.type(), e);
        }
        rho = e.rho();
        Pre pre = e.pre();
        k.clear();
        st.reset(pre.stack().tail());
        List<Pre.RegType> regs = pre.regs();
        for (int i = 0; i < regs.size(); i++) st.set(regs.get(i).reg(), fresh(regs.get(i).type()));
        List<Type> slots = pre.stack().slots();
        for (int i = slots.size() - 1; i >= 0; i--) st.push(slots.get(i) instanceof Type.Junk ? Value.JUNK : fresh(slots.get(i)));
        st.entryDepth = st.depth();
        learnFacts(pre);
    }

    /** Learns the facts of {@code pre}, whose registers are in the state. */
    void learnFacts(Pre pre) {
        List<Pre.PFact> facts = pre.facts();
        for (int i = 0; i < facts.size(); i++) {
            Pre.PFact f = facts.get(i);
            k.learn(term(f.a()), f.rel(), term(f.b()));
        }
    }

    Term term(Pre.PTerm t) {
        return switch (t) {
            case Pre.PTerm.OfReg r -> st.reg(r.reg()).term();
            case Pre.PTerm.Num n -> new Term.Const(n.value());
            case Pre.PTerm.Len l -> new Term.Len(st.reg(l.reg()).term());
        };
    }

    /**
     * Checks that the entry label accepts the initial state: {@code rdi: [bytes]}
     * (the arguments) and a stack holding a return address {@code code{rax: int | s}}
     * above an aligned stack {@code s}.
     */
    void checkEntry(int li) throws IllTyped {
        TypesSection.LabelDecl label = prog.labels().get(li);
        at = label.offset();
        insn = null;
        len = 0;
        k.clear();
        TVar s = TVar.fresh("s", true);
        st.reset(s);
        st.set(Reg.RDI, fresh(new Type.Arr(Type.BYTES)));
        Pre exit = new Pre(List.of(new Pre.RegType(Reg.RAX, Type.INT)), new Pre.StackT(List.of(), s), List.of());
        st.push(fresh(new Type.Code(List.of(), exit)));
        st.entryDepth = st.depth();
        flow.satisfy(label.type(), false, "program entry " + label.name(), null);
    }

    // ------------------------------------------------------------------ coercions

    private void coerce(TypesSection.CoercionDecl c) throws IllTyped {
        switch (c.coercion()) {
            case Coercion.Unpack u -> {
                Value v = valueOf(u.reg());
                Type t = env.unfold(view(v));
                if (!(t instanceof Type.Exists e)) throw reject("unpack: " + name(u.reg()) + " is not a package", "exists a. t", show(v));
                Subst s = new Subst(Set.of());
                s.types.put(e.var(), new Type.Var(TVar.fresh(e.var().name() + "'", false)));
                st.set(u.reg(), new Value(s.apply(e.body()), v.term()));
            }
            case Coercion.Pack p -> {
                Value v = valueOf(p.reg());
                Type target = rho.apply(p.target());
                Type.Exists ex = (Type.Exists) env.unfold(target);
                if (!new Matcher(env, List.of(ex.var())).sub(view(v), ex.body())) {
                    throw reject("pack: " + name(p.reg()) + " does not have the hidden type", Show.type(target), show(v));
                }
                st.set(p.reg(), new Value(target, v.term()));
            }
            case Coercion.As a -> {
                Value v = valueOf(a.reg());
                Type target = rho.apply(a.type());
                if (!subtype(view(v), target)) throw reject("as: " + name(a.reg()) + " is not a subtype", Show.type(target), show(v));
                st.set(a.reg(), new Value(target, v.term()));
            }
            case Coercion.Alloc a -> {
                if (pendingAlloc != null) throw reject("alloc coercion is not on a call [rel alloc]");
                pendingAlloc = (Type.Rec) rho.apply(a.rec());
            }
        }
    }

    // ------------------------------------------------------------------ one instruction

    /** Applies the rule of {@code i}; returns true if control does not continue to the next instruction. */
    private boolean step(Insn i) throws IllTyped {
        switch (i) {
            case Insn.Mov m -> rules.mov(m);
            case Insn.Movx m -> rules.movx(m);
            case Insn.Lea l -> rules.lea(l);
            case Insn.Alu a -> rules.alu(a);
            case Insn.Test t -> rules.test(t);
            case Insn.Unary u -> rules.unary(u);
            case Insn.Imul2 m -> {
                intReg(m.dst());
                intOperand(m.src(), m.w());
                writeInt(m.dst(), m.w(), null);
                st.clearFlags();
            }
            case Insn.Imul3 m -> {
                dest(m.dst());
                intOperand(m.src(), m.w());
                writeInt(m.dst(), m.w(), null);
                st.clearFlags();
            }
            case Insn.MulDiv m -> rules.mulDiv(m);
            case Insn.SignExtend s -> {
                Value rax = intReg(Reg.RAX);
                st.set(Reg.RDX, new Value(Type.INT, new Term.Sign(rax.term(), s.w() == DWORD)));
            }
            case Insn.Shift s -> rules.shift(s);
            case Insn.Cmov c -> rules.cmov(c);
            case Insn.Setcc s -> {
                if (s.dst() instanceof Reg r) writeInt(dest(r), BYTE, null);
                else mem.write(mem.resolve((Mem) s.dst(), BYTE), freshInt());
            }
            case Insn.Push p -> rules.push(p);
            case Insn.Pop p -> rules.pop(p);
            case Insn.Nop n -> { }
            case Insn.Jmp j -> {
                flow.jumpTo(flow.labelTarget(j.rel()), "jump");
                return true;
            }
            case Insn.Jcc j -> flow.branch(j);
            case Insn.JmpInd j -> {
                flow.indirectJump(operandValue(j.target()));
                return true;
            }
            case Insn.Call c -> flow.callLabel(flow.labelTarget(c.rel()));
            case Insn.CallInd c -> {
                if (c.target() instanceof Mem m && m.rip()) return flow.callKernel(m);
                flow.callIndirect(operandValue(c.target()));
            }
            case Insn.Ret r -> {
                flow.ret();
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ values

    Term newSym() {
        return new Term.Sym(nextSym++);
    }

    /** A value of type {@code t} with a new term. */
    Value fresh(Type t) {
        return new Value(t, newSym());
    }

    Value freshInt() {
        return new Value(Type.INT, newSym());
    }

    /**
     * The type of {@code v} refined by what is known about its term: a nullable
     * known non-null loses its {@code ?} (known null becomes {@code =0}), a sum
     * whose tag is known becomes that variant, and fields known to be written
     * are initialized.
     */
    Type view(Value v) {
        Type t = v.type();
        Term term = v.term();
        if (term == null) return t;
        for (int guard = 0; guard < 4; guard++) {
            Type u = env.unfold(t);
            switch (u) {
                case Type.Opt o -> {
                    if (k.nonNull(term)) {
                        t = o.inner();
                        continue;
                    }
                    return k.isNull(term) ? new Type.Single(0) : t;
                }
                case Type.Sum s -> {
                    Long tag = k.tag(term);
                    if (tag != null) {
                        Type.Rec r = env.variant(s, tag);
                        if (r == null) return t;
                        t = r;
                        continue;
                    }
                    if (!k.anyNotTag(term)) return t;
                    List<Type> left = new ArrayList<>();
                    for (Type var : s.variants()) if (!k.notTag(term, env.tag(var))) left.add(var);
                    if (left.isEmpty() || left.size() == s.variants().size()) return t;
                    if (left.size() > 1) return new Type.Sum(left);
                    t = left.getFirst();
                    continue;
                }
                case Type.Rec r -> {
                    if (!k.anyInit(term)) return t;
                    List<Type.Field> fs = new ArrayList<>(r.fields());
                    boolean changed = false;
                    for (int i = 0; i < fs.size(); i++) {
                        if (!fs.get(i).init() && k.initialized(term, i)) {
                            fs.set(i, new Type.Field(fs.get(i).type(), true));
                            changed = true;
                        }
                    }
                    return changed ? new Type.Rec(fs) : t;
                }
                default -> {
                    return t;
                }
            }
        }
        return t;
    }

    boolean isInt(Value v) {
        if (v.junk()) return false;
        Type t = env.unfold(view(v));
        return t instanceof Type.Int || t instanceof Type.Single;
    }

    boolean subtype(Type a, Type b) {
        return new Matcher(env, List.of()).sub(a, b);
    }

    /** The value in {@code r}, which must not be rsp or junk. */
    Value valueOf(Reg r) throws IllTyped {
        if (r == Reg.RSP) throw rspMisuse();
        Value v = st.reg(r);
        if (v.junk()) throw reject(name(r) + " has no value (junk)");
        return v;
    }

    Value intReg(Reg r) throws IllTyped {
        return requireInt(valueOf(r), name(r));
    }

    Value requireInt(Value v, String what) throws IllTyped {
        if (v.junk()) throw reject(what + " has no value (junk)");
        if (!isInt(v)) throw reject(what + " is not an int", "int", show(v));
        return v;
    }

    /** An int operand: register, immediate or memory. */
    Value intOperand(Operand o, Width w) throws IllTyped {
        return switch (o) {
            case Reg r -> intReg(r);
            case Imm(long c) -> Value.constant(c);
            case Mem m -> requireInt(mem.read(mem.resolve(m, w)), "memory operand");
        };
    }

    /** Any operand's value at qword width for registers; memory resolved at {@code w}. */
    Value operandValue(Operand o, Width w) throws IllTyped {
        return switch (o) {
            case Reg r -> valueOf(r);
            case Imm(long c) -> Value.constant(c);
            case Mem m -> mem.read(mem.resolve(m, w));
        };
    }

    Value operandValue(Operand o) throws IllTyped {
        return operandValue(o, QWORD);
    }

    /** A register about to be written: never rsp. */
    Reg dest(Reg r) throws IllTyped {
        if (r == Reg.RSP) throw rspMisuse();
        return r;
    }

    /**
     * Writes an int result to {@code r} at width {@code w}: 64 and 32 bits replace
     * the register (32 bits zero-extend), 8 and 16 bits keep its upper bits.
     *
     * @param c the result if it is a known constant, else null
     */
    void writeInt(Reg r, Width w, Long c) throws IllTyped {
        dest(r);
        switch (w) {
            case QWORD -> st.set(r, c != null ? Value.constant(c) : freshInt());
            case DWORD -> st.set(r, c != null ? Value.constant(c & 0xFFFF_FFFFL) : freshInt());
            case WORD, BYTE -> {
                Long old = k.cval(st.reg(r).term());
                long mask = mask(w);
                st.set(r, c != null && old != null ? Value.constant((old & ~mask) | (c & mask)) : freshInt());
            }
        }
    }

    static long mask(Width w) {
        return w == QWORD ? -1L : (1L << w.bits()) - 1;
    }

    // ------------------------------------------------------------------ rejections

    IllTyped reject(String message) {
        return reject(message, null, null);
    }

    IllTyped reject(String message, String expected, String found) {
        return prog.at(at, insn, len, message, expected, found);
    }

    IllTyped rspMisuse() {
        return reject("rsp is not a value: it can only be a memory base [rsp+8k], or adjusted by push, pop, sub/add rsp, 8k");
    }

    String show(Value v) {
        return v.junk() ? "junk" : Show.type(view(v));
    }

    static String name(Reg r) {
        return r.name(QWORD);
    }
}
