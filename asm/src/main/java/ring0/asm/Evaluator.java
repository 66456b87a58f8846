package ring0.asm;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates expressions: {@code equ} constants (lazily, in any order, with
 * cycle detection) and the linear forms of addresses. Arithmetic is on 64-bit
 * two's complement values and wraps; {@code /} and {@code %} are signed and
 * truncate toward zero; {@code >>} is a logical (unsigned) shift.
 */
final class Evaluator {

    /** Tells the evaluator what a non-constant name is, for messages. */
    interface Names {
        /** True if {@code name} (as written, in the current scope) is a label or an import. */
        boolean isAddress(String name);
    }

    private final Reporter rep;
    private final Map<String, Stmt.Equ> constants;
    private final Map<String, Long> values = new HashMap<>();
    private final Set<String> failed = new HashSet<>();
    private final Set<String> evaluating = new HashSet<>();
    private Names names = n -> false;

    Evaluator(Reporter rep, Map<String, Stmt.Equ> constants) {
        this.rep = rep;
        this.constants = constants;
    }

    void setNames(Names names) {
        this.names = names;
    }

    boolean isConstant(String name) {
        return constants.containsKey(name);
    }

    /** The value of constant {@code name}; reports (once) and fails if its definition is invalid. */
    long constant(String name) {
        Long v = values.get(name);
        if (v != null) return v;
        if (failed.contains(name)) throw Reporter.Fail.INSTANCE;
        Stmt.Equ def = constants.get(name);
        evaluating.add(name);
        try {
            long value = constant(def.expr(), def.line());
            values.put(name, value);
            return value;
        } catch (Reporter.Fail f) {
            failed.add(name);
            throw f;
        } finally {
            evaluating.remove(name);
        }
    }

    /** Evaluates {@code e} written on {@code line}, which must be a constant. */
    long constant(Expr e, int line) {
        Linear l = linear(e, line);
        if (!l.regs().isEmpty()) {
            Linear.RegTerm r = l.regs().getFirst();
            throw rep.fail(line, r.col(), "register '" + r.reg().name(r.width())
                    + "' is not allowed in a constant (registers go alone or inside [ ])");
        }
        if (!l.names().isEmpty()) throw notConstant(l.names().getFirst(), line);
        return l.constant();
    }

    private Reporter.Fail notConstant(Linear.NameTerm t, int line) {
        if (names.isAddress(t.name())) {
            return rep.fail(line, t.col(), "'" + t.name() + "' is an address, not a constant: the code is "
                    + "position-independent (use lea reg, [rel " + t.name() + "])");
        }
        return rep.fail(line, t.col(), "undefined symbol '" + t.name() + "'");
    }

    /** Reduces {@code e} written on {@code line} to a linear form. */
    Linear linear(Expr e, int line) {
        return switch (e) {
            case Expr.Num n -> Linear.of(n.value());
            case Expr.RegRef r -> new Linear(0, List.of(new Linear.RegTerm(r.reg(), r.width(), 1, false, r.col())),
                    List.of());
            case Expr.Name n -> {
                if (!constants.containsKey(n.name())) {
                    yield new Linear(0, List.of(), List.of(new Linear.NameTerm(n.name(), 1, n.col())));
                }
                if (evaluating.contains(n.name())) {
                    throw rep.fail(line, n.col(), "circular definition of constant '" + n.name() + "'");
                }
                yield Linear.of(constant(n.name()));
            }
            case Expr.Unary u -> {
                Linear a = linear(u.operand(), line);
                yield switch (u.op()) {
                    case '-' -> a.times(-1);
                    case '+' -> a;
                    default -> Linear.of(~constantOperand(a, "~", u.col(), line));
                };
            }
            case Expr.Binary b -> binary(b, line);
        };
    }

    private Linear binary(Expr.Binary b, int line) {
        Linear l = linear(b.left(), line);
        Linear r = linear(b.right(), line);
        switch (b.op()) {
            case "+" -> {
                return l.plus(r);
            }
            case "-" -> {
                return l.plus(r.times(-1));
            }
            case "*" -> {
                if (l.isConstant()) return r.times(l.constant());
                if (r.isConstant()) return l.times(r.constant());
                throw rep.fail(line, b.col(), "cannot multiply two registers or labels");
            }
            default -> {
                long x = constantOperand(l, b.op(), b.col(), line);
                long y = constantOperand(r, b.op(), b.col(), line);
                return Linear.of(switch (b.op()) {
                    case "/", "%" -> {
                        if (y == 0) throw rep.fail(line, b.col(), "division by zero");
                        if (x == Long.MIN_VALUE && y == -1) yield b.op().equals("/") ? x : 0;
                        yield b.op().equals("/") ? x / y : x % y;
                    }
                    case "<<", ">>" -> {
                        if (y < 0 || y > 63) throw rep.fail(line, b.col(), "shift count " + y + " is out of range 0..63");
                        yield b.op().equals("<<") ? x << y : x >>> y;
                    }
                    case "&" -> x & y;
                    case "|" -> x | y;
                    case "^" -> x ^ y;
                    default -> throw new AssertionError(b.op());
                });
            }
        }
    }

    private long constantOperand(Linear a, String op, int col, int line) {
        if (!a.isConstant()) {
            throw rep.fail(line, col, "operator '" + op + "' needs constant operands (not registers or labels)");
        }
        return a.constant();
    }
}
