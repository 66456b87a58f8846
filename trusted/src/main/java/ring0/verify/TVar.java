package ring0.verify;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A type or stack variable. Variables are compared by {@link #id()}: every
 * binder occurrence in parsed text and every fresh rigid variable made by the
 * checker gets its own id, so substitution never captures.
 *
 * @param name  the name written in the source, for messages only
 * @param id    unique identity
 * @param stack true for a stack variable (stands for a 16-byte aligned stack), false for a type variable
 */
public record TVar(String name, long id, boolean stack) {
    private static final AtomicLong NEXT = new AtomicLong(1);

    /** A variable with a new identity. */
    public static TVar fresh(String name, boolean stack) {
        return new TVar(name, NEXT.getAndIncrement(), stack);
    }

    /** A new variable of the same name and kind as this one. */
    public TVar freshCopy() {
        return fresh(name, stack);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TVar v && v.id == id;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return name;
    }
}
