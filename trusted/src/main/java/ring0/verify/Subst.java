package ring0.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A substitution of types for type variables and stacks for stack variables.
 * Variables have unique identities and the substituted types never contain the
 * binders they are substituted under, so no renaming is needed. Named types
 * are closed and are left alone.
 */
final class Subst {
    /** A variable that a substitution needed but did not have. */
    static final class Undetermined extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient TVar var;

        Undetermined(TVar var) {
            super(null, null, false, false);
            this.var = var;
        }
    }

    final Map<TVar, Type> types = new HashMap<>();
    final Map<TVar, Pre.StackT> stacks = new HashMap<>();
    /** Stack bindings materialized only when a substitution needs them. */
    final Map<TVar, Matcher.StackBind> lazyStacks = new HashMap<>();
    /** Variables that must be replaced: meeting one without a binding throws {@link Undetermined}. */
    private final java.util.Set<TVar> required;

    Subst(java.util.Set<TVar> required) {
        this.required = required;
    }

    /** A renaming of {@code vars} to fresh copies (rigid variables for checking a region). */
    static Subst freshen(List<TVar> vars) {
        Subst s = new Subst(java.util.Set.copyOf(vars));
        for (TVar v : vars) {
            TVar f = v.freshCopy();
            if (v.stack()) s.stacks.put(v, new Pre.StackT(List.of(), f));
            else s.types.put(v, new Type.Var(f));
        }
        return s;
    }

    boolean isEmpty() {
        return types.isEmpty() && stacks.isEmpty() && lazyStacks.isEmpty() && required.isEmpty();
    }

    /** {@code t} with the substitution applied; parts that do not change are shared, not copied. */
    Type apply(Type t) {
        if (isEmpty()) return t;
        return switch (t) {
            case Type.Int i -> t;
            case Type.Single s -> t;
            case Type.Bytes b -> t;
            case Type.Junk j -> t;
            case Type.Named n -> t;
            case Type.Arr a -> {
                Type e = apply(a.elem());
                yield e == a.elem() ? t : new Type.Arr(e);
            }
            case Type.Rec r -> {
                List<Type.Field> fs = null;
                for (int i = 0; i < r.fields().size(); i++) {
                    Type.Field f = r.fields().get(i);
                    Type ft = apply(f.type());
                    if (ft != f.type() && fs == null) fs = new ArrayList<>(r.fields().subList(0, i));
                    if (fs != null) fs.add(new Type.Field(ft, f.init()));
                }
                yield fs == null ? t : new Type.Rec(fs);
            }
            case Type.Opt o -> {
                Type in = apply(o.inner());
                yield in == o.inner() ? t : new Type.Opt(in);
            }
            case Type.Code c -> {
                Pre p = apply(c.pre());
                yield p == c.pre() ? t : new Type.Code(c.params(), p);
            }
            case Type.Exists e -> {
                Type b = apply(e.body());
                yield b == e.body() ? t : new Type.Exists(e.var(), b);
            }
            case Type.Sum s -> {
                List<Type> vs = new ArrayList<>(s.variants().size());
                boolean changed = false;
                for (Type v : s.variants()) {
                    Type w = apply(v);
                    changed |= w != v;
                    vs.add(w);
                }
                yield changed ? new Type.Sum(vs) : t;
            }
            case Type.Var v -> {
                Type b = types.get(v.var());
                if (b != null) yield b;
                if (required.contains(v.var())) throw new Undetermined(v.var());
                yield t;
            }
        };
    }

    Pre apply(Pre p) {
        if (isEmpty()) return p;
        List<Pre.RegType> regs = null;
        for (int i = 0; i < p.regs().size(); i++) {
            Pre.RegType rt = p.regs().get(i);
            Type t = apply(rt.type());
            if (t != rt.type() && regs == null) regs = new ArrayList<>(p.regs().subList(0, i));
            if (regs != null) regs.add(new Pre.RegType(rt.reg(), t));
        }
        Pre.StackT stack = apply(p.stack());
        if (regs == null && stack == p.stack()) return p;
        return new Pre(regs == null ? p.regs() : regs, stack, p.facts());
    }

    Pre.StackT apply(Pre.StackT s) {
        if (isEmpty()) return s;
        List<Type> slots = null;
        for (int i = 0; i < s.slots().size(); i++) {
            Type t = s.slots().get(i);
            Type u = apply(t);
            if (u != t && slots == null) slots = new ArrayList<>(s.slots().subList(0, i));
            if (slots != null) slots.add(u);
        }
        Pre.StackT b = stacks.get(s.tail());
        if (b == null && lazyStacks.containsKey(s.tail())) {
            b = lazyStacks.get(s.tail()).materialize();
            stacks.put(s.tail(), b);
        }
        if (b == null) {
            if (required.contains(s.tail())) throw new Undetermined(s.tail());
            return slots == null ? s : new Pre.StackT(slots, s.tail());
        }
        if (slots == null) slots = new ArrayList<>(s.slots());
        slots.addAll(b.slots());
        return new Pre.StackT(slots, b.tail());
    }
}
