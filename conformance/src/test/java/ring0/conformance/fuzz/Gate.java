package ring0.conformance.fuzz;

import java.util.stream.Collectors;
import ring0.verify.Checker;
import ring0.verify.IllTyped;
import ring0.verify.Verified;

/**
 * What decides whether a mutant may run: normally the trusted checker. The
 * self-test substitutes a gate that lets everything through, to show that the
 * native half of the harness catches what a broken checker lets pass.
 */
@FunctionalInterface
interface Gate {
    /** The checker's decision on one file. */
    sealed interface Verdict {
        /** Accepted; {@code summary} describes what was verified. */
        record Accepted(String summary) implements Verdict {}

        /** Rejected with an {@link IllTyped} whose message is {@code message}. */
        record Rejected(String message) implements Verdict {}

        /** The checker failed: it threw something else, or reported an internal error. */
        record Broken(String what) implements Verdict {}
    }

    Verdict judge(byte[] elf, String name);

    /** The trusted checker, {@link Checker#check(byte[], String)}. */
    Gate CHECKER = (elf, name) -> {
        try {
            return new Verdict.Accepted(summary(Checker.check(elf, name)));
        } catch (IllTyped e) {
            String m = e.rejection() == null ? null : e.rejection().message();
            if (m == null) return new Verdict.Broken("IllTyped without a rejection message: " + e);
            if (isInternal(m)) return new Verdict.Broken("rejected with an internal error: " + e.getMessage());
            return new Verdict.Rejected(m);
        } catch (Throwable t) {
            return new Verdict.Broken("threw " + t + stack(t));
        }
    };

    /** Lets every file through: a deliberately broken checker, for the harness's self-test. */
    Gate ACCEPT_ALL = (elf, name) -> new Verdict.Accepted("(not checked: the accept-all gate)");

    /**
     * A rejection message that admits a failure of the checker itself rather than
     * of the program: the checker's own wrapper ({@code internal checker error}),
     * and those of its section reader and type parser.
     */
    static boolean isInternal(String message) {
        return message.contains("internal checker error") || message.contains("internal error")
                || message.contains("internal parser error");
    }

    private static String summary(Verified v) {
        return v.instructions() + " instructions, " + v.labelCount() + " labels:\n" + v.labels().stream()
                .map(l -> "  " + l.name() + " @0x" + Integer.toHexString(l.imageOffset()) + " +" + l.size() + ": " + l.precondition())
                .collect(Collectors.joining("\n"));
    }

    private static String stack(Throwable t) {
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(st.length, 12); i++) sb.append("\n    at ").append(st[i]);
        return sb.toString();
    }
}
