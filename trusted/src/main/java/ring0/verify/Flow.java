package ring0.verify;

import java.util.ArrayList;
import java.util.List;
import ring0.abi.Service;
import ring0.isa.Cond;
import ring0.isa.Imm;
import ring0.isa.Insn;
import ring0.isa.Mem;
import ring0.isa.Reg;
import ring0.verify.Pre.Rel;

/**
 * TRUSTED. The control-transfer rules (docs/types.md §5, §9, §10): jumps and
 * branches to labels, calls, returns, indirect transfers, kernel calls, and
 * the stack budget. A transfer is allowed when the state satisfies the
 * target's precondition: every register it lists has a subtype of the listed
 * type, the stack matches slot by slot with the stack variable bound to the
 * rest (an even number of slots), and every fact is entailed.
 */
final class Flow {
    private static final Reg[] CALLER_SAVED = {Reg.RCX, Reg.RDX, Reg.RSI, Reg.RDI, Reg.R8, Reg.R9, Reg.R10, Reg.R11};

    private final Region r;

    /** The state's stack as seen by the matcher (refined types; junk slots as {@link Type.Junk}). */
    private final Slots stateSlots = new Slots() {
        @Override public int size() { return r.st.depth(); }
        @Override public Type slot(int i) {
            Value v = r.st.slot(i);
            return v.junk() ? Type.JUNK : r.view(v);
        }
        @Override public TVar tail() { return r.st.tail; }
    };

    Flow(Region r) {
        this.r = r;
    }

    // ------------------------------------------------------------------ satisfaction

    /**
     * Checks that the state satisfies {@code target}'s precondition, whose
     * parameters are instantiated by matching. For a call ({@code call == true}) the
     * top slot of the precondition is the return address the call pushes and is
     * not matched. The transfer is named in messages as {@code verb}, or
     * {@code verb to <to>} when {@code to} is not null (built only on rejection).
     *
     * @return the matcher, holding the instantiation
     */
    Matcher satisfy(Type.Code target, boolean call, String verb, String to) throws IllTyped {
        Pre p = target.pre();
        Matcher m = new Matcher(r.env, target.params());
        List<Pre.RegType> regs = p.regs();
        for (int i = 0; i < regs.size(); i++) {
            Pre.RegType rt = regs.get(i);
            Value v = r.st.reg(rt.reg());
            String rn = Region.name(rt.reg());
            if (v.junk()) throw r.reject(what(verb, to) + ": " + rn + " has no value (junk)", Show.type(rt.type()), "junk");
            Type vt = r.view(v);
            if (!m.sub(vt, rt.type())) throw r.reject(what(verb, to) + ": " + rn + " has the wrong type" + deep(m), Show.type(rt.type()), Show.type(vt));
        }
        Pre.StackT ps = p.stack();
        if (!m.stackBelow(stateSlots, ps, call ? 1 : 0)) {
            if (call) ps = new Pre.StackT(ps.slots().subList(1, ps.slots().size()), ps.tail());
            if (m.oddStack) {
                throw r.reject(what(verb, to) + ": misaligned stack: a stack variable stands for a 16-byte aligned stack,"
                        + " so it must be bound to an even number of slots", Show.stack(ps), showStack());
            }
            throw r.reject(what(verb, to) + ": the stack does not match" + deep(m), Show.stack(ps), showStack());
        }
        List<Pre.PFact> facts = p.facts();
        for (int i = 0; i < facts.size(); i++) {
            Pre.PFact f = facts.get(i);
            if (!r.k.entails(r.term(f.a()), f.rel(), r.term(f.b()))) {
                throw r.reject(what(verb, to) + ": fact not proven: " + Show.fact(f));
            }
        }
        return m;
    }

    /** The name of a transfer in messages: {@code verb} alone, or {@code verb to name}. */
    private static String what(String verb, String to) {
        return to == null ? verb : verb + " to " + to;
    }

    private static String deep(Matcher m) {
        return m.tooDeep ? " (types nested too deeply to compare)" : "";
    }

    private String showStack() {
        StringBuilder sb = new StringBuilder();
        int n = r.st.depth();
        for (int i = 0; i < Math.min(n, 8); i++) sb.append(Show.type(stateSlots.slot(i))).append(" :: ");
        if (n > 8) sb.append("... :: ");
        return sb.append(r.st.tail.name()).toString();
    }

    // ------------------------------------------------------------------ jumps and branches

    /** The label at the target of a relative branch. */
    int labelTarget(int rel) throws IllTyped {
        long target = (long) r.at + r.len + rel;
        int li = r.prog.labelAt(target);
        if (li >= 0) return li;
        if (target == Layout.STOP_BLOCK) throw r.reject("branch to the stop block: only the poll may branch there");
        throw r.reject("branch target is not a label: " + r.mem.describe(target)
                + " at 0x" + Long.toHexString(r.prog.image.textVaddr() + target));
    }

    /** A jump, branch or fall-through ({@code verb}) to label {@code li}. */
    void jumpTo(int li, String verb) throws IllTyped {
        TypesSection.LabelDecl l = r.prog.labels().get(li);
        satisfy(l.type(), false, verb, l.name());
    }

    /** {@code jcc L}: the taken edge with the condition assumed, then continue with its negation. */
    void branch(Insn.Jcc j) throws IllTyped {
        int li = labelTarget(j.rel());
        Term a = r.st.flagA, b = r.st.flagB;
        r.k.mark();
        if (a != null) learn(j.cond(), a, b);
        jumpTo(li, "branch");
        r.k.rollback();
        if (a != null) learn(j.cond().negate(), a, b);
    }

    /** Learns what condition {@code c} means after {@code cmp a, b}. */
    private void learn(Cond c, Term a, Term b) {
        Knowledge k = r.k;
        switch (c) {
            case B -> k.learn(a, Rel.LT, b);
            case AE -> k.learn(b, Rel.LE, a);
            case E -> k.learn(a, Rel.EQ, b);
            case NE -> k.learn(a, Rel.NE, b);
            case BE -> k.learn(a, Rel.LE, b);
            case A -> k.learn(b, Rel.LT, a);
            case L -> k.learn(a, Rel.SLT, b);
            case GE -> k.learn(b, Rel.SLE, a);
            case LE -> k.learn(a, Rel.SLE, b);
            case G -> k.learn(b, Rel.SLT, a);
            case O, NO, S, NS, P, NP -> { }
        }
    }

    void indirectJump(Value v) throws IllTyped {
        satisfy(codeOf(v, "indirect jump"), false, "indirect jump", null);
    }

    void ret() throws IllTyped {
        if (r.st.depth() == 0) throw r.reject("ret: no return address on the stack");
        Value top = r.st.slot(0);
        Type t = top.junk() ? Type.JUNK : r.env.unfold(r.view(top));
        if (!(t instanceof Type.Code c)) throw r.reject("ret: the top slot is not a return address", "code{...}", r.show(top));
        r.st.pop();
        satisfy(c, false, "return", null);
    }

    private Type.Code codeOf(Value v, String what) throws IllTyped {
        Type t = v.junk() ? Type.JUNK : r.env.unfold(r.view(v));
        if (t instanceof Type.Code c) return c;
        throw r.reject(what + ": the target is not code", "code{...}", r.show(v));
    }

    // ------------------------------------------------------------------ calls

    void callLabel(int li) throws IllTyped {
        TypesSection.LabelDecl l = r.prog.labels().get(li);
        call(l.type(), "call", l.name());
    }

    void callIndirect(Value v) throws IllTyped {
        call(codeOf(v, "indirect call"), "indirect call", null);
    }

    /**
     * A call: the state with the return address pushed must satisfy the callee's
     * precondition, whose top slot {@code code{Q}} says what holds when it returns;
     * checking continues after the call with {@code Q} instantiated.
     */
    private void call(Type.Code target, String verb, String to) throws IllTyped {
        Pre p = target.pre();
        Type top = p.stack().slots().isEmpty() ? null : r.env.unfold(p.stack().slots().getFirst());
        if (!(top instanceof Type.Code ret)) {
            throw r.reject(what(verb, to) + ": the callee's stack does not start with a return address type code{...}");
        }
        if (!ret.params().isEmpty()) throw r.reject(what(verb, to) + ": the return address type must not have type variables of its own");
        budget(1);
        Matcher m = satisfy(target, true, verb, to);
        continueAfter(ret.pre(), m, verb, to);
    }

    private void continueAfter(Pre q, Matcher m, String verb, String to) throws IllTyped {
        Subst s = m.subst();
        List<Pre.RegType> regs = new ArrayList<>();
        List<Type> slots = new ArrayList<>();
        int keep;
        try {
            for (Pre.RegType rt : q.regs()) regs.add(new Pre.RegType(rt.reg(), s.apply(rt.type())));
            for (Type t : q.stack().slots()) slots.add(s.apply(t));
            TVar tail = q.stack().tail();
            Matcher.StackBind b = m.stackBinding(tail);
            if (b != null && b.src() == stateSlots) {
                // the caller's slots below the return address are as they were: keep their values
                keep = r.st.depth() - b.from();
            } else {
                Pre.StackT rest = s.apply(new Pre.StackT(List.of(), tail));
                if (!rest.tail().equals(r.st.tail)) throw r.reject(what(verb, to) + ": the return address's stack is not this region's stack");
                slots.addAll(rest.slots());
                keep = 0;
            }
        } catch (Subst.Undetermined u) {
            throw r.reject(what(verb, to) + ": type variable " + u.var.name() + " is not determined by the call");
        }
        for (Reg reg : Reg.values()) if (reg != Reg.RSP) r.st.set(reg, Value.JUNK);
        for (Pre.RegType rt : regs) r.st.set(rt.reg(), r.fresh(rt.type()));
        r.st.drop(r.st.depth() - keep);
        for (int i = slots.size() - 1; i >= 0; i--) r.st.push(slotValue(slots.get(i)));
        r.st.clearFlags();
        r.learnFacts(q);
        budget(0);
    }

    private Value slotValue(Type t) {
        return t instanceof Type.Junk ? Value.JUNK : r.fresh(t);
    }

    /** {@code call [rel slot]}: a kernel service. Returns true if it does not return. */
    boolean callKernel(Mem m) throws IllTyped {
        long target = (long) r.at + r.len + m.disp();
        int slot = Layout.slotAt(r.prog.image, target);
        if (slot < 0) throw r.reject("indirect call through " + r.mem.describe(target) + ", which is not an import slot");
        Service svc = r.prog.image.imports().get(slot);
        String n = svc.importName();
        if (svc == Service.STOP) throw r.reject("call to stop: only the stop block may call it");
        KernelTypes.Signature sig = KernelTypes.of(svc);
        if (sig == null) throw r.reject("call to " + n + ": the service has no type, so programs cannot call it");
        budget(1);
        Value rdi = r.st.reg(Reg.RDI);
        satisfy(sig.pre(), false, "call", n);
        Value result;
        switch (sig.result()) {
            case NONE -> {
                return true;
            }
            case INT -> result = r.freshInt();
            case ALLOC -> {
                Type.Rec t = r.pendingAlloc;
                if (t == null) throw r.reject("call to alloc needs an alloc coercion saying what it allocates");
                long size = 8L * t.fields().size();
                Long c = r.k.cval(rdi.term());
                if (c == null || c != size) throw r.reject("call to alloc: rdi must be the size of the record", "=" + size, r.show(rdi));
                List<Type.Field> fs = t.fields().stream().map(f -> new Type.Field(f.type(), false)).toList();
                result = r.fresh(new Type.Opt(new Type.Rec(fs)));
                r.pendingAlloc = null;
            }
            case NEW_BYTES, NEW_WORDS -> {
                Type t = sig.result() == KernelTypes.Result.NEW_BYTES ? Type.BYTES : new Type.Arr(Type.INT);
                result = r.fresh(new Type.Opt(t));
                r.k.learn(new Term.Len(result.term()), Rel.EQ, rdi.term());
            }
            default -> throw new IllegalStateException();
        }
        for (Reg reg : CALLER_SAVED) r.st.set(reg, Value.JUNK);
        r.st.set(Reg.RAX, result);
        r.st.clearFlags();
        return false;
    }

    // ------------------------------------------------------------------ the stack

    /** {@code sub rsp, 8k} pushes k junk slots; {@code add rsp, 8k} drops k slots. */
    void adjustStack(Insn.Alu a) throws IllTyped {
        boolean add = a.op() == Insn.AluOp.ADD;
        if (a.w() != ring0.isa.Width.QWORD || !(add || a.op() == Insn.AluOp.SUB) || !(a.src() instanceof Imm(long v))) {
            throw r.rspMisuse();
        }
        if (v < 0 || v % 8 != 0) throw r.reject("rsp can only be adjusted by a non-negative multiple of 8");
        int n = (int) (v / 8);
        if (add) {
            if (n > r.st.depth()) {
                throw r.reject("add rsp drops " + n + " slots, but only " + r.st.depth() + " are above the stack variable " + r.st.tail.name());
            }
            r.st.drop(n);
        } else {
            budget(n);
            for (int i = 0; i < n; i++) r.st.push(Value.JUNK);
        }
    }

    /** Rejects if the stack would grow more than the budget below the region's poll with {@code extra} more slots. */
    void budget(int extra) throws IllTyped {
        long growth = (long) r.st.depth() + extra - r.st.entryDepth;
        if (growth * 8 > Region.STACK_BUDGET) {
            throw r.reject("stack budget exceeded: the region would grow the stack " + growth * 8
                    + " bytes below its poll; at most " + Region.STACK_BUDGET);
        }
    }
}
