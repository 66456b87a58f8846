package ring0.verify;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ring0.isa.Reg;
import ring0.isa.Width;
import ring0.verify.TypeLexer.Kind;
import ring0.verify.TypeLexer.Token;

/**
 * TRUSTED. The parser for the concrete syntax of docs/types.md: types,
 * preconditions, type definitions and coercions. Strict and total: every entry
 * point either returns a checked result or throws {@link TypeSyntaxException}
 * with the character position of the problem, never anything else.
 *
 * <p>Scoping of type variables: a variable is bound by the nearest enclosing
 * {@code exists} that names it; otherwise by the outermost enclosing
 * {@code code{...}}, where a label's precondition counts as a code type. So in
 * a label's precondition every free variable is quantified over the label
 * (including those inside nested return-address types), and in a type
 * definition over the outermost code type containing it. In a coercion the
 * names of the current label's variables refer to them. An identifier that
 * names a defined type is that type; any other identifier is a variable.
 */
public final class TypeSyntax {
    /** A type definition {@code type name = text}. */
    public record Definition(String name, String text) {}

    private static final int MAX_DEPTH = 64;
    private static final Set<String> RESERVED =
            Set.of("int", "bytes", "code", "exists", "junk", "len", "unpack", "pack", "as", "alloc", "type");

    /** The 64-bit register names. */
    private static final Map<String, Reg> REGS64 = new HashMap<>();
    /** Every name of every register, at every width. */
    private static final Set<String> REGISTER_NAMES = new HashSet<>();

    static {
        for (Reg r : Reg.values()) {
            REGS64.put(r.name(Width.QWORD), r);
            for (Width w : Width.values()) REGISTER_NAMES.add(r.name(w));
        }
    }

    private final List<Token> toks;
    private final Set<String> typeNames;
    private final int item;
    private int p;
    /** Variables bound by enclosing exists, innermost last. */
    private final Deque<TVar> binders = new ArrayDeque<>();
    /** Variables of the current label, visible by name in a coercion; empty otherwise. */
    private final Map<String, TVar> fixed;
    /** Variables quantified by the outermost enclosing code type, or null outside any code type. */
    private Map<String, TVar> frame;

    private TypeSyntax(String text, Set<String> typeNames, Map<String, TVar> fixed, int item) throws TypeSyntaxException {
        this.toks = TypeLexer.lex(text, item);
        this.typeNames = typeNames;
        this.fixed = fixed;
        this.item = item;
    }

    // ---------------------------------------------------------------- entry points

    /**
     * Parses and checks a set of type definitions, which may refer to each other
     * (recursion is allowed; definitions must be contractive).
     *
     * @throws TypeSyntaxException with {@link TypeSyntaxException#item()} the index of the bad definition
     */
    public static TypeEnv parseDefinitions(List<Definition> defs) throws TypeSyntaxException {
        try {
            Set<String> names = new HashSet<>();
            List<String> order = new ArrayList<>();
            for (int i = 0; i < defs.size(); i++) {
                String n = defs.get(i).name();
                String bad = badName(n);
                if (bad != null) throw new TypeSyntaxException(0, i, "bad type name: " + bad);
                if (!names.add(n)) throw new TypeSyntaxException(0, i, "type " + n + " is defined twice");
                order.add(n);
            }
            Map<String, Type> map = new HashMap<>();
            for (int i = 0; i < defs.size(); i++) {
                TypeSyntax ps = new TypeSyntax(defs.get(i).text(), names, Map.of(), i);
                Type t = ps.type(0, true);
                ps.expectEnd();
                map.put(defs.get(i).name(), t);
            }
            String[] problem = TypeEnv.validate(order, map);
            if (problem != null) throw new TypeSyntaxException(0, order.indexOf(problem[0]), problem[1]);
            return new TypeEnv(map);
        } catch (RuntimeException e) {
            throw new TypeSyntaxException(0, -1, "internal parser error: " + e);
        }
    }

    /**
     * Parses a label's precondition, e.g. {@code {rdi: int | code{rax: int | s} :: s}}.
     *
     * @return the label's code type: the precondition quantified over all its variables
     */
    public static Type.Code parsePrecondition(String text, TypeEnv env) throws TypeSyntaxException {
        try {
            TypeSyntax ps = new TypeSyntax(text, env.names(), Map.of(), -1);
            ps.frame = new LinkedHashMap<>();
            Pre pre = ps.pre(0);
            ps.expectEnd();
            Type.Code code = new Type.Code(List.copyOf(ps.frame.values()), pre);
            ps.validate(env, code);
            return code;
        } catch (RuntimeException e) {
            throw new TypeSyntaxException(0, -1, "internal parser error: " + e);
        }
    }

    /** Parses a closed type (no free variables outside code types, no sum). */
    public static Type parseType(String text, TypeEnv env) throws TypeSyntaxException {
        try {
            TypeSyntax ps = new TypeSyntax(text, env.names(), Map.of(), -1);
            Type t = ps.type(0, false);
            ps.expectEnd();
            ps.validate(env, t);
            return t;
        } catch (RuntimeException e) {
            throw new TypeSyntaxException(0, -1, "internal parser error: " + e);
        }
    }

    /**
     * Parses a coercion: {@code unpack r}, {@code pack r as t}, {@code as r : t} or {@code alloc t}.
     *
     * @param label the code type of the label whose region the coercion is in; its
     *              variables may be named in {@code t}
     */
    public static Coercion parseCoercion(String text, TypeEnv env, Type.Code label) throws TypeSyntaxException {
        try {
            Map<String, TVar> fixed = new HashMap<>();
            for (TVar v : label.params()) fixed.put(v.name(), v);
            TypeSyntax ps = new TypeSyntax(text, env.names(), fixed, -1);
            Coercion c = ps.coercion(env);
            ps.expectEnd();
            return c;
        } catch (RuntimeException e) {
            throw new TypeSyntaxException(0, -1, "internal parser error: " + e);
        }
    }

    /**
     * Parses a declaration {@code type NAME = t} into its name and definition text
     * (for the assembler; the definition itself is checked by {@link #parseDefinitions}).
     */
    public static Definition parseDeclaration(String text) throws TypeSyntaxException {
        try {
            TypeSyntax ps = new TypeSyntax(text, Set.of(), Map.of(), -1);
            if (!ps.isIdent("type")) throw ps.err("expected 'type'");
            ps.p++;
            Token name = ps.peek();
            if (name.kind() != Kind.IDENT) throw ps.err("expected a type name");
            String bad = badName(name.text());
            if (bad != null) throw ps.err("bad type name: " + bad);
            ps.p++;
            Token eq = ps.peek();
            if (!eq.text().equals("=") || eq.kind() != Kind.PUNCT) throw ps.err("expected '='");
            return new Definition(name.text(), text.substring(eq.pos() + 1).strip());
        } catch (RuntimeException e) {
            throw new TypeSyntaxException(0, -1, "internal parser error: " + e);
        }
    }

    /** Why {@code n} cannot name a type or variable, or {@code null} if it can. */
    static String badName(String n) {
        if (n == null || n.isEmpty()) return "empty name";
        if (n.length() > 255) return "name longer than 255 characters";
        if (!TypeLexer.identStart(n.charAt(0))) return "'" + n + "' is not an identifier";
        for (int i = 1; i < n.length(); i++) if (!TypeLexer.identPart(n.charAt(i))) return "'" + n + "' is not an identifier";
        if (RESERVED.contains(n)) return "'" + n + "' is a reserved word";
        if (REGISTER_NAMES.contains(n.toLowerCase(java.util.Locale.ROOT))) return "'" + n + "' is a register name";
        return null;
    }

    // ---------------------------------------------------------------- grammar

    /** {@code type ::= 'exists' x '.' type | postfix ('+' postfix)*} (sums only when {@code top}). */
    private Type type(int depth, boolean top) throws TypeSyntaxException {
        if (depth > MAX_DEPTH) throw err("type nested too deeply");
        if (isIdent("exists")) {
            p++;
            Token name = peek();
            if (name.kind() != Kind.IDENT) throw err("expected a variable name after exists");
            String bad = badName(name.text());
            if (bad != null) throw err("bad variable name: " + bad);
            if (typeNames.contains(name.text())) throw err("'" + name.text() + "' names a type; it cannot be a variable");
            p++;
            expect(".");
            TVar v = TVar.fresh(name.text(), false);
            binders.addLast(v);
            Type body = type(depth + 1, false);
            binders.removeLast();
            return new Type.Exists(v, body);
        }
        int start = peek().pos();
        Type first = postfix(depth);
        if (!is("+")) return first;
        if (!top) throw new TypeSyntaxException(start, item, "a sum type is only allowed as the whole definition of a named type");
        List<Type> variants = new ArrayList<>(List.of(first));
        while (accept("+")) variants.add(postfix(depth));
        return new Type.Sum(variants);
    }

    private Type postfix(int depth) throws TypeSyntaxException {
        Type t = atom(depth + 1);
        if (accept("?")) {
            if (is("?")) throw err("a type can be made nullable only once");
            t = new Type.Opt(t);
        }
        return t;
    }

    private Type atom(int depth) throws TypeSyntaxException {
        if (depth > MAX_DEPTH) throw err("type nested too deeply");
        Token t = peek();
        if (t.kind() == Kind.PUNCT) {
            switch (t.text()) {
                case "=" -> {
                    p++;
                    Token n = peek();
                    if (n.kind() != Kind.NUM) throw err("expected a number after '='");
                    p++;
                    return new Type.Single(n.value());
                }
                case "[" -> {
                    p++;
                    Type e = type(depth + 1, false);
                    expect("]");
                    return new Type.Arr(e);
                }
                case "{" -> {
                    p++;
                    List<Type.Field> fields = new ArrayList<>();
                    do {
                        boolean init = !accept("~");
                        fields.add(new Type.Field(type(depth + 1, false), init));
                    } while (accept(","));
                    expect("}");
                    return new Type.Rec(fields);
                }
                case "(" -> {
                    p++;
                    Type e = type(depth + 1, false);
                    expect(")");
                    return e;
                }
                default -> throw err("expected a type");
            }
        }
        if (t.kind() != Kind.IDENT) throw err("expected a type");
        switch (t.text()) {
            case "int" -> {
                p++;
                return Type.INT;
            }
            case "bytes" -> {
                p++;
                return Type.BYTES;
            }
            case "code" -> {
                p++;
                boolean outermost = frame == null;
                if (outermost) frame = new LinkedHashMap<>();
                Pre pre = pre(depth + 1);
                List<TVar> params = outermost ? List.copyOf(frame.values()) : List.of();
                if (outermost) frame = null;
                return new Type.Code(params, pre);
            }
            case "junk" -> throw err("junk is only allowed as a stack slot");
            default -> {
                p++;
                if (typeNames.contains(t.text())) return new Type.Named(t.text());
                return new Type.Var(variable(t, false));
            }
        }
    }

    /** {@code pre ::= '{' [reg ':' type {',' reg ':' type}] '|' stack [';' fact {',' fact}] '}'}. */
    private Pre pre(int depth) throws TypeSyntaxException {
        if (depth > MAX_DEPTH) throw err("type nested too deeply");
        expect("{");
        List<Pre.RegType> regs = new ArrayList<>();
        Set<Reg> seen = new HashSet<>();
        if (!is("|")) {
            do {
                Token at = peek();
                Reg r = register();
                if (!seen.add(r)) throw new TypeSyntaxException(at.pos(), item, r.name(Width.QWORD) + " is listed twice");
                expect(":");
                regs.add(new Pre.RegType(r, type(depth + 1, false)));
            } while (accept(","));
        }
        expect("|");
        Pre.StackT stack = stack(depth);
        List<Pre.PFact> facts = new ArrayList<>();
        if (accept(";")) {
            do {
                Token at = peek();
                Pre.PTerm a = term();
                Pre.Rel rel = rel();
                Pre.PTerm b = term();
                for (Pre.PTerm x : List.of(a, b)) {
                    Reg r = x instanceof Pre.PTerm.OfReg(Reg rr) ? rr : x instanceof Pre.PTerm.Len(Reg rr) ? rr : null;
                    if (r != null && !seen.contains(r)) {
                        throw new TypeSyntaxException(at.pos(), item, "fact mentions " + r.name(Width.QWORD) + ", which the precondition does not list");
                    }
                }
                facts.add(new Pre.PFact(a, rel, b));
            } while (accept(","));
        }
        expect("}");
        return new Pre(regs, stack, facts);
    }

    /** {@code stack ::= slot '::' stack | s}; {@code slot ::= 'junk' | type}. */
    private Pre.StackT stack(int depth) throws TypeSyntaxException {
        List<Type> slots = new ArrayList<>();
        while (true) {
            Token t = peek();
            Token after = toks.get(Math.min(p + 1, toks.size() - 1));
            boolean ends = after.kind() == Kind.END || after.text().equals("}") || after.text().equals(";");
            if (t.kind() == Kind.IDENT && ends && !typeNames.contains(t.text()) && !RESERVED.contains(t.text())) {
                p++;
                return new Pre.StackT(slots, variable(t, true));
            }
            if (isIdent("junk")) {
                p++;
                slots.add(Type.JUNK);
            } else {
                slots.add(type(depth + 1, false));
            }
            if (!accept("::")) throw err("expected '::' after a stack slot (a stack ends with a stack variable)");
        }
    }

    private Pre.PTerm term() throws TypeSyntaxException {
        Token t = peek();
        if (t.kind() == Kind.NUM) {
            p++;
            return new Pre.PTerm.Num(t.value());
        }
        if (isIdent("len")) {
            p++;
            expect("(");
            Reg r = register();
            expect(")");
            return new Pre.PTerm.Len(r);
        }
        if (t.kind() == Kind.IDENT) return new Pre.PTerm.OfReg(register());
        throw err("expected a register, a number or len(register)");
    }

    private Pre.Rel rel() throws TypeSyntaxException {
        Token t = peek();
        if (t.kind() == Kind.PUNCT) {
            for (Pre.Rel r : Pre.Rel.values()) {
                if (r.text.equals(t.text())) {
                    p++;
                    return r;
                }
            }
        }
        throw err("expected a comparison: < <= == != <s <=s");
    }

    private Reg register() throws TypeSyntaxException {
        Token t = peek();
        Reg r = t.kind() == Kind.IDENT ? REGS64.get(t.text()) : null;
        if (r == null || r == Reg.RSP) throw err("expected a 64-bit register other than rsp");
        p++;
        return r;
    }

    private Coercion coercion(TypeEnv env) throws TypeSyntaxException {
        Token t = peek();
        if (t.kind() != Kind.IDENT) throw err("expected unpack, pack, as or alloc");
        switch (t.text()) {
            case "unpack" -> {
                p++;
                return new Coercion.Unpack(register());
            }
            case "pack" -> {
                p++;
                Reg r = register();
                if (!isIdent("as")) throw err("expected 'as'");
                p++;
                Token at = peek();
                Type target = type(0, false);
                validate(env, target);
                if (!(env.unfold(target) instanceof Type.Exists)) {
                    throw new TypeSyntaxException(at.pos(), item, "pack needs an exists type");
                }
                return new Coercion.Pack(r, target);
            }
            case "as" -> {
                p++;
                Reg r = register();
                expect(":");
                Type target = type(0, false);
                validate(env, target);
                return new Coercion.As(r, target);
            }
            case "alloc" -> {
                p++;
                Token at = peek();
                Type target = type(0, false);
                validate(env, target);
                if (!(env.unfold(target) instanceof Type.Rec rec)) {
                    throw new TypeSyntaxException(at.pos(), item, "alloc needs a record type");
                }
                return new Coercion.Alloc(rec);
            }
            default -> throw err("expected unpack, pack, as or alloc");
        }
    }

    // ---------------------------------------------------------------- variables

    private TVar variable(Token t, boolean stack) throws TypeSyntaxException {
        String name = t.text();
        String bad = badName(name);
        if (bad != null) throw new TypeSyntaxException(t.pos(), item, "bad variable name: " + bad);
        TVar v = null;
        for (var it = binders.descendingIterator(); it.hasNext() && v == null; ) {
            TVar b = it.next();
            if (b.name().equals(name)) v = b;
        }
        if (v == null) v = fixed.get(name);
        if (v == null && frame != null) v = frame.computeIfAbsent(name, n -> TVar.fresh(n, stack));
        if (v == null) throw new TypeSyntaxException(t.pos(), item, "unbound type variable " + name);
        if (v.stack() != stack) {
            throw new TypeSyntaxException(t.pos(), item, name + " is used both as a stack variable and as a type variable");
        }
        return v;
    }

    // ---------------------------------------------------------------- checks after parsing

    private void validate(TypeEnv env, Type t) throws TypeSyntaxException {
        String problem = env.problem(t);
        if (problem != null) throw new TypeSyntaxException(0, item, problem);
    }

    // ---------------------------------------------------------------- tokens

    private Token peek() {
        return toks.get(p);
    }

    private boolean is(String punct) {
        Token t = peek();
        return t.kind() == Kind.PUNCT && t.text().equals(punct);
    }

    private boolean isIdent(String word) {
        Token t = peek();
        return t.kind() == Kind.IDENT && t.text().equals(word);
    }

    private boolean accept(String punct) {
        if (!is(punct)) return false;
        p++;
        return true;
    }

    private void expect(String punct) throws TypeSyntaxException {
        if (!accept(punct)) throw err("expected '" + punct + "'");
    }

    private void expectEnd() throws TypeSyntaxException {
        if (peek().kind() != Kind.END) throw err("unexpected text after the end");
    }

    private TypeSyntaxException err(String reason) {
        Token t = peek();
        String found = t.kind() == Kind.END ? "end of text" : "'" + t.text() + "'";
        return new TypeSyntaxException(t.pos(), item, reason + ", found " + found);
    }
}
