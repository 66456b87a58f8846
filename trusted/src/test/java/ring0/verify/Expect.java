package ring0.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Assertions on checking a {@link TestProgram} whose entry label is {@code main}. */
final class Expect {
    /** The usual entry precondition: nothing but the return address. */
    static final String MAIN = "{| code{rax: int | s} :: s}";

    private Expect() {}

    static Verified accepts(TestProgram p) {
        try {
            return p.check("main");
        } catch (IllTyped e) {
            return fail("rejected: " + e);
        }
    }

    static Rejection rejects(TestProgram p, String messagePrefix) {
        try {
            p.check("main");
        } catch (IllTyped e) {
            assertThat(e.rejection().message()).as(e.toString()).startsWith(messagePrefix);
            return e.rejection();
        }
        return fail("accepted, expected: " + messagePrefix);
    }
}
