package ring0.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ring0.verify.Pre.Rel;

/**
 * TRUSTED. The facts known in one region (docs/types.md §4) and the small
 * prover that decides whether a fact follows from them. Facts are about terms
 * (immutable values), so nothing is ever invalidated; only the number of
 * general facts kept is bounded (the oldest are forgotten, which is always
 * safe), so that every query costs at most a constant.
 *
 * <p>Besides general facts, four kinds of knowledge are kept without bound
 * (each grows by at most one entry per instruction): constant values of terms,
 * non-null terms, tags of sum values, and initialized record fields.
 *
 * <p>{@link #mark} / {@link #rollback} undo everything learned in between, so a
 * conditional branch can be checked with the branch condition assumed and then
 * continue with its negation without copying the state.
 */
final class Knowledge {
    /** Most general facts kept. */
    static final int MAX_FACTS = 32;

    record Fact(Term a, Rel rel, Term b) {}

    private record FieldKey(Term base, int field) {}

    private record TagKey(Term base, long tag) {}

    private List<Fact> facts = new ArrayList<>();
    private Map<Term, Long> consts;
    private Set<Term> nonNull;
    private Set<Term> isNull;
    private Map<Term, Long> tagIs;
    private Set<TagKey> tagNot;
    private Set<Term> hasTagNot;
    private Set<FieldKey> init;
    private Set<Term> hasInit;

    /** Undo actions since {@link #mark}; only recorded while {@link #journaling}. */
    private final List<Runnable> journal = new ArrayList<>();
    private boolean journaling;
    private int factMark;

    Knowledge() {
        clear();
    }

    /**
     * Forgets everything. The collections are made anew rather than cleared: clearing
     * a hash table costs its capacity, which one large region could have made big.
     */
    void clear() {
        if (!facts.isEmpty()) facts = new ArrayList<>();
        if (consts == null || !consts.isEmpty()) consts = new HashMap<>();
        if (nonNull == null || !nonNull.isEmpty()) nonNull = new HashSet<>();
        if (isNull == null || !isNull.isEmpty()) isNull = new HashSet<>();
        if (tagIs == null || !tagIs.isEmpty()) tagIs = new HashMap<>();
        if (tagNot == null || !tagNot.isEmpty()) tagNot = new HashSet<>();
        if (hasTagNot == null || !hasTagNot.isEmpty()) hasTagNot = new HashSet<>();
        if (init == null || !init.isEmpty()) init = new HashSet<>();
        if (hasInit == null || !hasInit.isEmpty()) hasInit = new HashSet<>();
        journal.clear();
        journaling = false;
    }

    // ------------------------------------------------------------------ journal

    void mark() {
        journal.clear();
        journaling = true;
        factMark = facts.size();
    }

    void rollback() {
        for (int i = journal.size() - 1; i >= 0; i--) journal.get(i).run();
        journal.clear();
        journaling = false;
        while (facts.size() > factMark) facts.removeLast();
    }

    private <T> void add(Set<T> set, T key) {
        if (set.add(key) && journaling) journal.add(() -> set.remove(key));
    }

    private <K> void put(Map<K, Long> map, K key, long v) {
        if (map.putIfAbsent(key, v) == null && journaling) journal.add(() -> map.remove(key));
    }

    // ------------------------------------------------------------------ learning

    /** Records that {@code a rel b} holds. */
    void learn(Term a, Rel rel, Term b) {
        Long ca = cval(a), cb = cval(b);
        if (ca != null && cb != null) return;
        switch (rel) {
            case EQ -> {
                if (cb != null) learnConst(a, cb);
                else if (ca != null) learnConst(b, ca);
                else addFact(new Fact(a, rel, b));
            }
            case NE -> {
                if (cb != null) learnNotConst(a, cb);
                if (ca != null) learnNotConst(b, ca);
                addFact(new Fact(a, rel, b));
            }
            case LT -> {
                add(nonNull, b);
                addFact(new Fact(a, rel, b));
            }
            case LE -> {
                if (ca != null && ca != 0) add(nonNull, b);
                addFact(new Fact(a, rel, b));
            }
            case SLT -> {
                if (ca != null && ca >= 0) add(nonNull, b);
                addFact(new Fact(a, rel, b));
            }
            case SLE -> {
                if (ca != null && ca > 0) add(nonNull, b);
                addFact(new Fact(a, rel, b));
            }
        }
    }

    private void learnConst(Term t, long c) {
        put(consts, t, c);
        if (c == 0) add(isNull, t);
        else add(nonNull, t);
        if (t instanceof Term.Tag(Term base)) put(tagIs, base, c);
    }

    private void learnNotConst(Term t, long c) {
        if (c == 0) add(nonNull, t);
        if (t instanceof Term.Tag(Term base)) {
            add(tagNot, new TagKey(base, c));
            add(hasTagNot, base);
        }
    }

    private void addFact(Fact f) {
        if (!journaling && facts.size() >= MAX_FACTS) facts.subList(0, MAX_FACTS / 2).clear();
        facts.add(f);
    }

    /** Records that field {@code i} of the record {@code base} has been written. */
    void learnInit(Term base, int i) {
        add(init, new FieldKey(base, i));
        add(hasInit, base);
    }

    // ------------------------------------------------------------------ refinements

    boolean nonNull(Term t) {
        Long c = cval(t);
        return c != null ? c != 0 : nonNull.contains(t);
    }

    boolean isNull(Term t) {
        Long c = cval(t);
        return c != null ? c == 0 : isNull.contains(t);
    }

    /** The known tag of sum value {@code base}, or null. */
    Long tag(Term base) {
        return tagIs.get(base);
    }

    /** True if the sum value {@code base} is known not to have tag {@code k}. */
    boolean notTag(Term base, long k) {
        return hasTagNot.contains(base) && tagNot.contains(new TagKey(base, k));
    }

    boolean anyNotTag(Term base) {
        return hasTagNot.contains(base);
    }

    boolean initialized(Term base, int i) {
        return hasInit.contains(base) && init.contains(new FieldKey(base, i));
    }

    boolean anyInit(Term base) {
        return hasInit.contains(base);
    }

    // ------------------------------------------------------------------ prover

    /** The constant value of {@code t}, if known. */
    Long cval(Term t) {
        if (t instanceof Term.Const(long v)) return v;
        return t == null ? null : consts.get(t);
    }

    /** True if {@code a rel b} follows from what is known. */
    boolean entails(Term a, Rel rel, Term b) {
        return switch (rel) {
            case LT -> lt(a, b);
            case LE -> le(a, b);
            case EQ -> eq(a, b);
            case NE -> ne(a, b);
            case SLT -> slt(a, b);
            case SLE -> sle(a, b);
        };
    }

    boolean eq(Term a, Term b) {
        if (a.equals(b)) return true;
        Long ca = cval(a), cb = cval(b);
        if (ca != null && cb != null) return ca.longValue() == cb.longValue();
        return has(a, Rel.EQ, b) || has(b, Rel.EQ, a);
    }

    boolean ne(Term a, Term b) {
        Long ca = cval(a), cb = cval(b);
        if (ca != null && cb != null) return ca.longValue() != cb.longValue();
        if (a.equals(b)) return false;
        if (cb != null && cb == 0 && nonNull.contains(a)) return true;
        if (ca != null && ca == 0 && nonNull.contains(b)) return true;
        return has(a, Rel.NE, b) || has(b, Rel.NE, a) || has(a, Rel.LT, b) || has(b, Rel.LT, a)
                || has(a, Rel.SLT, b) || has(b, Rel.SLT, a);
    }

    /** {@code a <u b}. */
    boolean lt(Term a, Term b) {
        Long ca = cval(a), cb = cval(b);
        if (ca != null && cb != null) return Long.compareUnsigned(ca, cb) < 0;
        if (a.equals(b) || (cb != null && cb == 0)) return false;
        for (Fact f : facts) {
            if (f.a.equals(a)) {
                // a < x <= b, or a <= x < b, or a == x < b
                if (f.rel == Rel.LT && leQuick(f.b, b, cb)) return true;
                if ((f.rel == Rel.LE || f.rel == Rel.EQ) && ltQuick(f.b, b, cb)) return true;
            }
            if (f.rel == Rel.EQ && f.b.equals(a) && ltQuick(f.a, b, cb)) return true;
            if (ca != null && f.b.equals(b)) {
                // a is a constant c: c <= x < b, or c < x <= b
                Long cx = cval(f.a);
                if (cx == null) continue;
                if (f.rel == Rel.LT && Long.compareUnsigned(ca, cx) <= 0) return true;
                if ((f.rel == Rel.LE || f.rel == Rel.EQ) && Long.compareUnsigned(ca, cx) < 0) return true;
            }
        }
        return false;
    }

    /** {@code a <=u b}. */
    boolean le(Term a, Term b) {
        Long ca = cval(a), cb = cval(b);
        if (ca != null && cb != null) return Long.compareUnsigned(ca, cb) <= 0;
        if (a.equals(b) || (ca != null && ca == 0) || (cb != null && cb == -1)) return true;
        if (lt(a, b)) return true;
        for (Fact f : facts) {
            if (f.a.equals(a) && (f.rel == Rel.LE || f.rel == Rel.EQ) && leQuick(f.b, b, cb)) return true;
            if (f.rel == Rel.EQ && f.b.equals(a) && leQuick(f.a, b, cb)) return true;
            if (ca != null && f.b.equals(b) && (f.rel == Rel.LE || f.rel == Rel.EQ || f.rel == Rel.LT)) {
                Long cx = cval(f.a);
                if (cx != null && Long.compareUnsigned(ca, cx) <= 0) return true;
            }
        }
        return false;
    }

    /** {@code a <s b}. */
    boolean slt(Term a, Term b) {
        Long ca = cval(a), cb = cval(b);
        if (ca != null && cb != null) return ca < cb;
        if (a.equals(b)) return false;
        for (Fact f : facts) {
            if (f.a.equals(a) && f.rel == Rel.SLT && (f.b.equals(b) || sleConst(f.b, cb))) return true;
            if (f.a.equals(a) && f.rel == Rel.SLE && sltConst(f.b, cb)) return true;
            if (ca != null && f.b.equals(b) && (f.rel == Rel.SLT || f.rel == Rel.SLE)) {
                Long cx = cval(f.a);
                if (cx != null && (f.rel == Rel.SLT ? ca <= cx : ca < cx)) return true;
            }
        }
        return false;
    }

    /** {@code a <=s b}. */
    boolean sle(Term a, Term b) {
        Long ca = cval(a), cb = cval(b);
        if (ca != null && cb != null) return ca <= cb;
        if (a.equals(b) || slt(a, b) || has(a, Rel.EQ, b) || has(b, Rel.EQ, a)) return true;
        for (Fact f : facts) {
            if (f.a.equals(a) && f.rel == Rel.SLE && (f.b.equals(b) || sleConst(f.b, cb))) return true;
            if (ca != null && f.b.equals(b) && f.rel == Rel.SLE) {
                Long cx = cval(f.a);
                if (cx != null && ca <= cx) return true;
            }
        }
        return false;
    }

    /** True if {@code a != 0}. */
    boolean nonZero(Term a) {
        return ne(a, Term.ZERO) || hasAnyBelow(a);
    }

    /** True if {@code a != -1} (all ones). */
    boolean notMinusOne(Term a) {
        Long ca = cval(a);
        if (ca != null) return ca != -1;
        if (ne(a, new Term.Const(-1)) || sle(Term.ZERO, a)) return true;
        for (Fact f : facts) if (f.a.equals(a) && f.rel == Rel.LT) return true;
        return false;
    }

    private boolean hasAnyBelow(Term a) {
        for (Fact f : facts) if (f.b.equals(a) && f.rel == Rel.LT) return true;
        return false;
    }

    /** {@code x <=u b} from a direct fact or constants. */
    private boolean leQuick(Term x, Term b, Long cb) {
        if (x.equals(b)) return true;
        Long cx = cval(x);
        if (cx != null && cb != null) return Long.compareUnsigned(cx, cb) <= 0;
        return has(x, Rel.LE, b) || has(x, Rel.LT, b) || has(x, Rel.EQ, b) || has(b, Rel.EQ, x);
    }

    /** {@code x <u b} from a direct fact or constants. */
    private boolean ltQuick(Term x, Term b, Long cb) {
        Long cx = cval(x);
        if (cx != null && cb != null) return Long.compareUnsigned(cx, cb) < 0;
        return has(x, Rel.LT, b);
    }

    private boolean sleConst(Term x, Long cb) {
        Long cx = cval(x);
        return cx != null && cb != null && cx <= cb;
    }

    private boolean sltConst(Term x, Long cb) {
        Long cx = cval(x);
        return cx != null && cb != null && cx < cb;
    }

    private boolean has(Term a, Rel rel, Term b) {
        for (Fact f : facts) if (f.rel == rel && f.a.equals(a) && f.b.equals(b)) return true;
        return false;
    }
}
