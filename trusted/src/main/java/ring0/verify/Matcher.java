package ring0.verify;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * TRUSTED. Subtyping, type equality and matching (docs/types.md §9).
 *
 * <p>{@code sub(a, p)} decides whether a value of the actual type {@code a} may be
 * used where the pattern {@code p} is expected; {@code eq} decides equality
 * (used where types are invariant: array elements, record fields, everything
 * inside a code type). The pattern may contain <em>flexible</em> variables (the
 * quantified variables of the precondition being matched); the first time one
 * is met it is bound to the actual type (or stack) there, and later occurrences
 * must agree with that binding. All other variables are rigid and equal only to
 * themselves. Variables bound inside the types being compared (the parameters
 * of code types, exists) are related by a bijection built as they are met, so
 * types are compared up to renaming; binding a flexible variable to a type
 * that mentions such a bound variable is refused.
 *
 * <p>Named types are unfolded when compared with anything but the same name. A
 * comparison of two types in progress is assumed to hold when met again
 * (coinduction), which terminates because the pairs met are pairs of sub-terms
 * of finitely many types. There is no backtracking: the variant of a sum that a
 * record is compared with is chosen by its tag, so a failed comparison means
 * the whole match fails.
 */
final class Matcher {
    private static final int MAX_DEPTH = 400;
    private static final TVar UNMAPPED = new TVar("?", 0, false);
    // Shared by matchers without flexible variables, which never write to them.
    private static final Type[] NO_TYPES = {};
    private static final StackBind[] NO_STACKS = {};

    /** A stack variable bound to the slots of {@code src} from index {@code from} down. */
    record StackBind(Slots src, int from) {
        Pre.StackT materialize() {
            return Slots.suffix(src, from);
        }
    }

    private final TypeEnv env;
    /** The flexible variables (unmodifiable); their bindings are at the same index in {@link #typeBound} / {@link #stackBound}. */
    private final List<TVar> flexible;
    private final Type[] typeBound;
    private final StackBind[] stackBound;
    /** Bound variables of the actual side in scope, to their partner on the pattern side (or UNMAPPED). */
    private Map<TVar, TVar> a2p = Map.of();
    /** Bound variables of the pattern side in scope, to their partner on the actual side (or UNMAPPED). */
    private Map<TVar, TVar> p2a = Map.of();
    // Made when first needed: most matches meet no binder and no named type.
    private Set<Assumption> assumed = Set.of();
    private int depth;
    /** Set when a comparison failed only because it nested too deeply. */
    boolean tooDeep;
    /** Set when a stack variable would have been bound to a stack of odd depth. */
    boolean oddStack;

    /**
     * A matcher for one comparison or one transfer.
     *
     * @param flexible the flexible variables (copied unless unmodifiable already,
     *                 as the parameters of a code type are)
     */
    Matcher(TypeEnv env, Collection<TVar> flexible) {
        this.env = env;
        this.flexible = List.copyOf(flexible);
        int n = this.flexible.size();
        this.typeBound = n == 0 ? NO_TYPES : new Type[n];
        this.stackBound = n == 0 ? NO_STACKS : new StackBind[n];
    }

    /** The index of {@code v} among the flexible variables, or -1. */
    private int flex(TVar v) {
        List<TVar> f = flexible;
        for (int i = 0; i < f.size(); i++) if (f.get(i).equals(v)) return i;
        return -1;
    }

    /** {@code a <= p}. */
    boolean sub(Type a, Type p) {
        return rel(a, p, false);
    }

    /** {@code a = p}. */
    boolean eq(Type a, Type p) {
        return rel(a, p, true);
    }

    /** The actual stack {@code a} from slot {@code from} matches (slot by slot, subtyping) the stack type {@code p}. */
    boolean stack(Slots a, int from, Pre.StackT p) {
        return stackRel(a, from, p, 0, false);
    }

    /** The actual stack {@code a} matches the stack type {@code p} without its top {@code skip} slots. */
    boolean stackBelow(Slots a, Pre.StackT p, int skip) {
        return stackRel(a, 0, p, skip, false);
    }

    /** What stack variable {@code v} was bound to, or null. */
    StackBind stackBinding(TVar v) {
        int i = flex(v);
        return i < 0 ? null : stackBound[i];
    }

    /** The substitution found so far; applying it to an unbound flexible variable throws {@link Subst.Undetermined}. */
    Subst subst() {
        Subst s = new Subst(Set.copyOf(flexible));
        for (int i = 0; i < flexible.size(); i++) {
            if (typeBound[i] != null) s.types.put(flexible.get(i), typeBound[i]);
            if (stackBound[i] != null) s.lazyStacks.put(flexible.get(i), stackBound[i]);
        }
        return s;
    }

    // ------------------------------------------------------------------ types

    private boolean rel(Type a, Type p, boolean eq) {
        if (depth >= MAX_DEPTH) {
            tooDeep = true;
            return false;
        }
        depth++;
        try {
            return relHere(a, p, eq);
        } finally {
            depth--;
        }
    }

    private boolean relHere(Type a, Type p, boolean eq) {
        if (p instanceof Type.Junk) return !eq || a instanceof Type.Junk;
        if (p instanceof Type.Var pv) return patternVar(a, pv.var(), eq);
        if (a instanceof Type.Var || a instanceof Type.Junk) return false;
        if (a == p && flexible.isEmpty() && a2p.isEmpty() && p2a.isEmpty()) return true;
        if (a instanceof Type.Named na && p instanceof Type.Named np && na.name().equals(np.name())) return true;
        if (a instanceof Type.Named || p instanceof Type.Named) {
            if (assumed.isEmpty()) assumed = new HashSet<>();
            if (!assumed.add(new Assumption(a, p, eq))) return true;
            return rel(env.unfold(a), env.unfold(p), eq);
        }
        return switch (p) {
            case Type.Int i -> a instanceof Type.Int || (!eq && a instanceof Type.Single);
            case Type.Single s -> a instanceof Type.Single as && as.value() == s.value();
            case Type.Bytes b -> a instanceof Type.Bytes;
            case Type.Arr pa -> a instanceof Type.Arr aa && rel(aa.elem(), pa.elem(), true);
            case Type.Rec pr -> a instanceof Type.Rec ar && fields(ar, pr, eq);
            case Type.Opt po -> a instanceof Type.Opt ao ? rel(ao.inner(), po.inner(), eq)
                    : !eq && (a instanceof Type.Single z && z.value() == 0 || rel(a, po.inner(), false));
            case Type.Code pc -> a instanceof Type.Code ac && code(ac, pc);
            case Type.Exists pe -> a instanceof Type.Exists ae && exists(ae, pe, eq);
            case Type.Sum ps -> sum(a, ps, eq);
            case Type.Var v -> false;
            case Type.Named n -> false;
            case Type.Junk j -> false;
        };
    }

    private boolean fields(Type.Rec a, Type.Rec p, boolean eq) {
        List<Type.Field> af = a.fields(), pf = p.fields();
        if (af.size() != pf.size()) return false;
        for (int i = 0; i < af.size(); i++) {
            Type.Field x = af.get(i), y = pf.get(i);
            boolean flags = eq ? x.init() == y.init() : x.init() || !y.init();
            if (!flags || !rel(x.type(), y.type(), true)) return false;
        }
        return true;
    }

    private boolean sum(Type a, Type.Sum p, boolean eq) {
        if (a instanceof Type.Sum as) {
            if (eq && as.variants().size() != p.variants().size()) return false;
            for (Type v : as.variants()) {
                Type.Rec pv = env.variant(p, env.tag(v));
                if (pv == null || !rel(v, pv, eq)) return false;
            }
            return true;
        }
        if (eq || !(a instanceof Type.Rec ar) || ar.fields().isEmpty()) return false;
        Type.Field f0 = ar.fields().get(0);
        if (!f0.init() || !(env.unfold(f0.type()) instanceof Type.Single tag)) return false;
        Type.Rec pv = env.variant(p, tag.value());
        return pv != null && rel(ar, pv, false);
    }

    private boolean code(Type.Code a, Type.Code p) {
        if (a.params().size() != p.params().size()) return false;
        if (a.params().isEmpty()) return pre(a.pre(), p.pre());
        Map<TVar, TVar> savedA = enter(true, a.params(), null), savedP = enter(false, p.params(), null);
        try {
            return pre(a.pre(), p.pre());
        } finally {
            exit(true, savedA);
            exit(false, savedP);
        }
    }

    private boolean exists(Type.Exists a, Type.Exists p, boolean eq) {
        Map<TVar, TVar> savedA = enter(true, List.of(a.var()), p.var()), savedP = enter(false, List.of(p.var()), a.var());
        try {
            return rel(a.body(), p.body(), eq);
        } finally {
            exit(true, savedA);
            exit(false, savedP);
        }
    }

    /** Preconditions inside code types: equal register sets, equal types, equal stacks, the same facts. */
    private boolean pre(Pre a, Pre p) {
        if (a.regs().size() != p.regs().size() || a.facts().size() != p.facts().size()) return false;
        List<Pre.RegType> regs = p.regs();
        for (int i = 0; i < regs.size(); i++) {
            Pre.RegType rt = regs.get(i);
            Type at = a.reg(rt.reg());
            if (at == null || !rel(at, rt.type(), true)) return false;
        }
        if (!stackRel(Slots.of(a.stack()), 0, p.stack(), 0, true)) return false;
        return a.facts().containsAll(p.facts()) && p.facts().containsAll(a.facts());
    }

    // ------------------------------------------------------------------ variables

    private boolean patternVar(Type a, TVar p, boolean eq) {
        if (p2a.containsKey(p)) {
            return a instanceof Type.Var av && a2p.containsKey(av.var()) && correspond(av.var(), p);
        }
        int i = flex(p);
        if (i >= 0) {
            if (p.stack()) return false;
            Type bound = typeBound[i];
            if (bound != null) return rel(a, bound, eq);
            if (a instanceof Type.Junk || mentionsBinder(a)) return false;
            typeBound[i] = a;
            return true;
        }
        return a instanceof Type.Var av && av.var().equals(p) && !a2p.containsKey(av.var());
    }

    private boolean correspond(TVar a, TVar p) {
        TVar ap = a2p.get(a), pa = p2a.get(p);
        if (ap == UNMAPPED && pa == UNMAPPED) {
            if (a.stack() != p.stack()) return false;
            a2p.put(a, p);
            p2a.put(p, a);
            return true;
        }
        return p.equals(ap) && a.equals(pa);
    }

    /** Brings binders into scope on one side; returns what they shadowed, for {@link #exit}. */
    private Map<TVar, TVar> enter(boolean actual, List<TVar> vars, TVar partner) {
        if (actual && a2p.isEmpty()) a2p = new HashMap<>();
        if (!actual && p2a.isEmpty()) p2a = new HashMap<>();
        Map<TVar, TVar> scope = actual ? a2p : p2a;
        Map<TVar, TVar> saved = new HashMap<>();
        for (TVar v : vars) {
            if (!saved.containsKey(v)) saved.put(v, scope.get(v));
            scope.put(v, partner == null ? UNMAPPED : partner);
        }
        return saved;
    }

    private void exit(boolean actual, Map<TVar, TVar> saved) {
        Map<TVar, TVar> scope = actual ? a2p : p2a;
        saved.forEach((v, old) -> {
            if (old == null) scope.remove(v);
            else scope.put(v, old);
        });
    }

    /** True if {@code t} mentions a variable bound on the actual side in the current scope. */
    private boolean mentionsBinder(Type t) {
        if (a2p.isEmpty()) return false;
        return mentions(t, 0);
    }

    private boolean mentions(Type t, int d) {
        if (d > MAX_DEPTH) return true;
        return switch (t) {
            case Type.Var v -> a2p.containsKey(v.var());
            case Type.Arr a -> mentions(a.elem(), d + 1);
            case Type.Rec r -> r.fields().stream().anyMatch(f -> mentions(f.type(), d + 1));
            case Type.Opt o -> mentions(o.inner(), d + 1);
            case Type.Exists e -> mentions(e.body(), d + 1);
            case Type.Sum s -> s.variants().stream().anyMatch(v -> mentions(v, d + 1));
            case Type.Code c -> mentions(c.pre().stack(), d + 1)
                    || c.pre().regs().stream().anyMatch(rt -> mentions(rt.type(), d + 1));
            case Type.Int i -> false;
            case Type.Single s -> false;
            case Type.Bytes b -> false;
            case Type.Named n -> false;
            case Type.Junk j -> false;
        };
    }

    private boolean mentions(Pre.StackT s, int d) {
        return a2p.containsKey(s.tail()) || s.slots().stream().anyMatch(t -> mentions(t, d + 1));
    }

    // ------------------------------------------------------------------ stacks

    private boolean stackRel(Slots a, int from, Pre.StackT p, int skip, boolean eq) {
        int n = p.slots().size() - skip;
        if (a.size() - from < n) return false;
        for (int i = 0; i < n; i++) {
            if (!rel(a.slot(from + i), p.slots().get(skip + i), eq)) return false;
        }
        int rest = from + n;
        TVar t = p.tail();
        if (p2a.containsKey(t)) {
            return a.size() == rest && a2p.containsKey(a.tail()) && correspond(a.tail(), t);
        }
        int fi = flex(t);
        if (fi >= 0) {
            if (!t.stack()) return false;
            StackBind bound = stackBound[fi];
            if (bound != null) return sameStack(a, rest, bound, eq);
            if ((a.size() - rest) % 2 != 0) {
                oddStack = true;
                return false;
            }
            if (!a2p.isEmpty()) {
                if (a2p.containsKey(a.tail())) return false;
                for (int i = rest; i < a.size(); i++) if (mentionsBinder(a.slot(i))) return false;
            }
            stackBound[fi] = new StackBind(a, rest);
            return true;
        }
        return a.size() == rest && a.tail().equals(t) && !a2p.containsKey(a.tail());
    }

    private boolean sameStack(Slots a, int from, StackBind b, boolean eq) {
        int n = a.size() - from;
        if (n != b.src().size() - b.from() || !a.tail().equals(b.src().tail()) || a2p.containsKey(a.tail())) return false;
        for (int i = 0; i < n; i++) {
            if (!rel(a.slot(from + i), b.src().slot(b.from() + i), eq)) return false;
        }
        return true;
    }

    /** A pair of types under comparison, compared by identity. */
    private record Assumption(Type a, Type p, boolean eq) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Assumption x && x.a == a && x.p == p && x.eq == eq;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(a) * 31 + System.identityHashCode(p) + (eq ? 1 : 0);
        }
    }
}
