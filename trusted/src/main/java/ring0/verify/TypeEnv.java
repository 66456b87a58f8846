package ring0.verify;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The named types of a program ({@code type NAME = t}), already checked: every
 * definition is contractive (its outermost constructor is not a name), so
 * {@link #unfold} takes at most one step. Built by {@link TypeSyntax#parseDefinitions}.
 */
public final class TypeEnv {
    /** No named types. */
    public static final TypeEnv EMPTY = new TypeEnv(Map.of());

    private final Map<String, Type> defs;

    TypeEnv(Map<String, Type> defs) {
        this.defs = Map.copyOf(defs);
    }

    /** True if {@code name} is a defined type. */
    public boolean defines(String name) {
        return defs.containsKey(name);
    }

    /** The definition of {@code name}, or {@code null}. */
    public Type definition(String name) {
        return defs.get(name);
    }

    /** The defined names. */
    public Set<String> names() {
        return defs.keySet();
    }

    /** {@code t} with a named type at its head replaced by its definition. */
    public Type unfold(Type t) {
        for (int i = 0; i <= defs.size() && t instanceof Type.Named n; i++) {
            t = defs.get(n.name());
            if (t == null) throw new IllegalStateException("undefined type " + n.name());
        }
        if (t instanceof Type.Named) throw new IllegalStateException("non-contractive type");
        return t;
    }

    /** True if values of {@code t} are non-null pointers: bytes, arrays, records, sums, code. */
    public boolean pointer(Type t) {
        return switch (unfold(t)) {
            case Type.Bytes b -> true;
            case Type.Arr a -> true;
            case Type.Rec r -> true;
            case Type.Sum s -> true;
            case Type.Code c -> true;
            default -> false;
        };
    }

    /** The tag of a sum variant (the value of its field 0's singleton type); {@code variant} is valid. */
    public long tag(Type variant) {
        Type.Rec r = (Type.Rec) unfold(variant);
        return ((Type.Single) unfold(r.fields().get(0).type())).value();
    }

    /** The variant of {@code s} with tag {@code tag}, or {@code null}. */
    public Type.Rec variant(Type.Sum s, long tag) {
        for (Type v : s.variants()) if (tag(v) == tag) return (Type.Rec) unfold(v);
        return null;
    }

    /**
     * Checks the rules the grammar cannot express: {@code t?} needs a pointer type,
     * sum variants are records with distinct singleton tags in an initialized field 0,
     * an {@code exists} body is not a bare name.
     *
     * @return what is wrong, or {@code null}
     */
    String problem(Type t) {
        return switch (t) {
            case Type.Int i -> null;
            case Type.Single s -> null;
            case Type.Bytes b -> null;
            case Type.Junk j -> null;
            case Type.Var v -> null;
            case Type.Named n -> null;
            case Type.Arr a -> problem(a.elem());
            case Type.Rec r -> {
                for (Type.Field f : r.fields()) {
                    String p = problem(f.type());
                    if (p != null) yield p;
                }
                yield null;
            }
            case Type.Opt o -> o.inner() instanceof Type.Var || !pointer(o.inner())
                    ? Show.type(o.inner()) + "? is not allowed: only a pointer type can be nullable"
                    : problem(o.inner());
            case Type.Exists e -> e.body() instanceof Type.Named
                    ? "the body of exists " + e.var().name() + " must not be a bare type name" : problem(e.body());
            case Type.Code c -> problem(c.pre());
            case Type.Sum s -> sumProblem(s);
        };
    }

    String problem(Pre p) {
        for (Pre.RegType rt : p.regs()) {
            String q = problem(rt.type());
            if (q != null) return q;
        }
        for (Type slot : p.stack().slots()) {
            String q = problem(slot);
            if (q != null) return q;
        }
        for (Pre.PFact f : p.facts()) {
            for (Pre.PTerm t : new Pre.PTerm[] {f.a(), f.b()}) {
                if (!(t instanceof Pre.PTerm.Len(var r))) continue;
                Type rt = unfold(p.reg(r));
                if (rt instanceof Type.Opt o) rt = unfold(o.inner());
                if (!(rt instanceof Type.Arr) && !(rt instanceof Type.Bytes)) {
                    return "len(" + r.name(ring0.isa.Width.QWORD) + ") needs an array or bytes register";
                }
            }
        }
        return null;
    }

    private String sumProblem(Type.Sum s) {
        Set<Long> tags = new HashSet<>();
        for (Type v : s.variants()) {
            if (!(unfold(v) instanceof Type.Rec r)) return "sum variant " + Show.type(v) + " is not a record";
            Type.Field f0 = r.fields().get(0);
            if (!f0.init() || !(unfold(f0.type()) instanceof Type.Single tag)) {
                return "sum variant " + Show.type(v) + " does not start with a singleton tag =k";
            }
            if (!tags.add(tag.value())) return "sum variants share the tag =" + tag.value();
            if (!(v instanceof Type.Named)) {
                String p = problem(v);
                if (p != null) return p;
            }
        }
        return null;
    }

    /** Checks definitions: contractive heads first (so that unfolding terminates), then {@link #problem}. */
    static String[] validate(List<String> names, Map<String, Type> defs) {
        for (String n : names) {
            if (defs.get(n) instanceof Type.Named) return new String[] {n, "type " + n + " is not contractive: it is defined as a bare type name"};
        }
        TypeEnv env = new TypeEnv(defs);
        for (String n : names) {
            String p = env.problem(defs.get(n));
            if (p != null) return new String[] {n, p};
        }
        return null;
    }
}
