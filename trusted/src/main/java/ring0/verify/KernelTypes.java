package ring0.verify;

import java.util.Map;
import ring0.abi.Service;

/**
 * TRUSTED. The type of each kernel service (docs/types.md §10), by import name.
 * A service without an entry here cannot be called. {@link Service#STOP} is
 * called only by the stop block, never by a program's own instructions, so it
 * has no entry.
 *
 * <p>Every call needs {@code rsp} 16-byte aligned (the precondition's stack is
 * a bare stack variable, which stands for an aligned stack). Afterwards
 * {@code rax} holds the result, {@code rcx, rdx, rsi, rdi, r8-r11} and the flags
 * are junk, and {@code rbx, rbp, r12-r15} and the stack are unchanged.
 */
public final class KernelTypes {
    private KernelTypes() {}

    /** Import name of {@link Service#STOP}, the service the stop block calls. */
    public static final String STOP = "stop";

    /** What a service gives back. */
    public enum Result {
        /** Does not return. */
        NONE,
        /** {@code rax: int}. */
        INT,
        /** {@code rax: t?} for the record type of the {@code alloc t} coercion; needs {@code rdi: =8n}. */
        ALLOC,
        /** {@code rax: bytes?} with {@code len(rax) == rdi}. */
        NEW_BYTES,
        /** {@code rax: [int]?} with {@code len(rax) == rdi}, all elements zero. */
        NEW_WORDS
    }

    /**
     * A service's type.
     *
     * @param pre    what must hold at the call
     * @param result what holds after it
     */
    public record Signature(Type.Code pre, Result result) {}

    private static final Map<String, Signature> TABLE = Map.ofEntries(
            sig("exit", "{rdi: int | s}", Result.NONE),
            sig("read", "{rdi: int, rsi: bytes, rdx: int | s; rdx <= len(rsi)}", Result.INT),
            sig("write", "{rdi: int, rsi: bytes, rdx: int | s; rdx <= len(rsi)}", Result.INT),
            sig("open", "{rdi: bytes, rsi: int, rdx: int | s}", Result.INT),
            sig("close", "{rdi: int | s}", Result.INT),
            sig("fsync", "{rdi: int | s}", Result.INT),
            sig("lseek", "{rdi: int, rsi: int, rdx: int | s}", Result.INT),
            sig("fstat", "{rdi: int, rsi: bytes | s; 144 <= len(rsi)}", Result.INT),
            sig("getpid", "{| s}", Result.INT),
            sig("getppid", "{| s}", Result.INT),
            sig("clock", "{| s}", Result.INT),
            sig("alloc", "{rdi: int | s}", Result.ALLOC),
            sig("newbytes", "{rdi: int | s}", Result.NEW_BYTES),
            sig("newwords", "{rdi: int | s}", Result.NEW_WORDS),
            sig("spawn", "{rdi: bytes, rsi: bytes | s}", Result.INT),
            sig("wait", "{rdi: int | s}", Result.INT),
            sig("kill", "{rdi: int | s}", Result.INT));

    /** The type of {@code s}, or {@code null} if programs may not call it. */
    public static Signature of(Service s) {
        return TABLE.get(s.importName());
    }

    /** The type of the service with import name {@code name}, or {@code null}. */
    public static Signature of(String name) {
        return TABLE.get(name);
    }

    private static Map.Entry<String, Signature> sig(String name, String pre, Result result) {
        try {
            return Map.entry(name, new Signature(TypeSyntax.parsePrecondition(pre, TypeEnv.EMPTY), result));
        } catch (TypeSyntaxException e) {
            throw new ExceptionInInitializerError("bad kernel type of " + name + ": " + e.getMessage());
        }
    }
}
