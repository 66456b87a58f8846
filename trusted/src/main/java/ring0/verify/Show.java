package ring0.verify;

import java.util.List;
import ring0.isa.Width;

/** Prints types and preconditions in the concrete syntax that {@link TypeSyntax} reads. */
public final class Show {
    private Show() {}

    /** The text of {@code t}. */
    public static String type(Type t) {
        StringBuilder sb = new StringBuilder();
        type(sb, t, 0);
        return sb.toString();
    }

    /** The text of a precondition, e.g. {@code {rdi: int | code{rax: int | s} :: s}}. */
    public static String pre(Pre p) {
        StringBuilder sb = new StringBuilder();
        pre(sb, p, 0);
        return sb.toString();
    }

    /** The text of a stack type, e.g. {@code int :: junk :: s}. */
    public static String stack(Pre.StackT s) {
        StringBuilder sb = new StringBuilder();
        stack(sb, s, 0);
        return sb.toString();
    }

    /** The fact as written, e.g. {@code rdx <= len(rsi)}. */
    public static String fact(Pre.PFact f) {
        StringBuilder sb = new StringBuilder();
        fact(sb, f);
        return sb.toString();
    }

    /** Caps output for hostile, deeply nested types. */
    private static final int MAX_DEPTH = 40;

    private static void type(StringBuilder sb, Type t, int depth) {
        if (depth > MAX_DEPTH) {
            sb.append("...");
            return;
        }
        switch (t) {
            case Type.Int i -> sb.append("int");
            case Type.Single s -> sb.append('=').append(s.value());
            case Type.Bytes b -> sb.append("bytes");
            case Type.Arr a -> {
                sb.append('[');
                type(sb, a.elem(), depth + 1);
                sb.append(']');
            }
            case Type.Rec r -> {
                sb.append('{');
                List<Type.Field> fs = r.fields();
                for (int i = 0; i < fs.size(); i++) {
                    if (i > 0) sb.append(", ");
                    if (!fs.get(i).init()) sb.append('~');
                    type(sb, fs.get(i).type(), depth + 1);
                }
                sb.append('}');
            }
            case Type.Opt o -> {
                boolean paren = o.inner() instanceof Type.Sum || o.inner() instanceof Type.Exists;
                if (paren) sb.append('(');
                type(sb, o.inner(), depth + 1);
                if (paren) sb.append(')');
                sb.append('?');
            }
            case Type.Code c -> {
                sb.append("code");
                pre(sb, c.pre(), depth + 1);
            }
            case Type.Exists e -> {
                sb.append("exists ").append(e.var().name()).append(". ");
                type(sb, e.body(), depth + 1);
            }
            case Type.Var v -> sb.append(v.var().name());
            case Type.Named n -> sb.append(n.name());
            case Type.Sum s -> {
                for (int i = 0; i < s.variants().size(); i++) {
                    if (i > 0) sb.append(" + ");
                    type(sb, s.variants().get(i), depth + 1);
                }
            }
            case Type.Junk j -> sb.append("junk");
        }
    }

    private static void pre(StringBuilder sb, Pre p, int depth) {
        sb.append('{');
        for (int i = 0; i < p.regs().size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(p.regs().get(i).reg().name(Width.QWORD)).append(": ");
            type(sb, p.regs().get(i).type(), depth + 1);
        }
        sb.append(p.regs().isEmpty() ? "| " : " | ");
        stack(sb, p.stack(), depth);
        for (int i = 0; i < p.facts().size(); i++) {
            sb.append(i == 0 ? "; " : ", ");
            fact(sb, p.facts().get(i));
        }
        sb.append('}');
    }

    private static void fact(StringBuilder sb, Pre.PFact f) {
        term(sb, f.a());
        sb.append(' ').append(f.rel().text).append(' ');
        term(sb, f.b());
    }

    private static void stack(StringBuilder sb, Pre.StackT s, int depth) {
        for (Type slot : s.slots()) {
            type(sb, slot, depth + 1);
            sb.append(" :: ");
        }
        sb.append(s.tail().name());
    }

    private static void term(StringBuilder sb, Pre.PTerm t) {
        switch (t) {
            case Pre.PTerm.OfReg r -> sb.append(r.reg().name(Width.QWORD));
            case Pre.PTerm.Num n -> sb.append(n.value());
            case Pre.PTerm.Len l -> sb.append("len(").append(l.reg().name(Width.QWORD)).append(')');
        }
    }
}
