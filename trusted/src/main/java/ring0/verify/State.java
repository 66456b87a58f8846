package ring0.verify;

import java.util.Arrays;
import ring0.isa.Reg;

/**
 * The mutable abstract state while one region is checked (docs/types.md §4):
 * a value per register, the stack slots above the region's rigid stack
 * variable, the flags, and the depth at the region's poll for the stack budget.
 * Facts live in {@link Knowledge}.
 */
final class State {
    private Value[] regs = new Value[16];
    /** Slots bottom first: {@code stack[depth - 1]} is {@code [rsp]}. */
    private Value[] stack = new Value[32];
    private int depth;
    /** The stack variable under the slots. */
    TVar tail;
    /** Depth at the poll of the region. */
    int entryDepth;
    /** The comparison that set the flags ({@code cmp flagA, flagB}), or null if the flags mean nothing. */
    Term flagA, flagB;

    void reset(TVar tail) {
        // New arrays for each region rather than clearing the old ones: stores into a
        // young array are cheaper for the garbage collector's write barrier.
        regs = new Value[16];
        Arrays.fill(regs, Value.JUNK);
        stack = new Value[32];
        depth = 0;
        this.tail = tail;
        flagA = flagB = null;
    }

    Value reg(Reg r) {
        return regs[r.ordinal()];
    }

    void set(Reg r, Value v) {
        // rsp is the stack, never a value: every rule rejects writing it before getting here
        if (r == Reg.RSP) throw new IllegalStateException("rsp written as a value");
        regs[r.ordinal()] = v;
    }

    int depth() {
        return depth;
    }

    /** Slot {@code i} from the top. */
    Value slot(int i) {
        return stack[depth - 1 - i];
    }

    void setSlot(int i, Value v) {
        stack[depth - 1 - i] = v;
    }

    void push(Value v) {
        if (depth == stack.length) stack = Arrays.copyOf(stack, depth * 2);
        stack[depth++] = v;
    }

    Value pop() {
        Value v = stack[--depth];
        stack[depth] = null;
        return v;
    }

    /** Removes the top {@code n} slots. */
    void drop(int n) {
        Arrays.fill(stack, depth - n, depth, null);
        depth -= n;
    }

    void clearFlags() {
        flagA = flagB = null;
    }
}
