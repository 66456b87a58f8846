package ring0.kernel;

/**
 * How a process ended: its exit status (0..255, as a shell sees it) and, for
 * anything but a normal end, a message for the user.
 *
 * @param status  the exit status
 * @param how     why the process ended
 * @param message what to tell the user, or {@code null} for a normal end
 */
public record Exit(int status, How how, String message) {
    /** Why a process ended. */
    public enum How {
        /** Its entry label returned; the status is {@code eax & 0xff}. */
        RETURNED,
        /** It called {@code exit}; the status is the argument's low 8 bits. */
        EXITED,
        /** {@code kill} (or Ctrl-C, or the kernel shutting down); status 137, as for SIGKILL. */
        KILLED,
        /** Its time limit ran out; status 152, as for SIGXCPU. */
        TIME_LIMIT,
        /** Its stack reached the limit word; status 134, as the Linux gate's {@code stop} thunk exits. */
        STACK_LIMIT,
        /** It asked for more memory than its quota; status 137, as for the OOM killer. */
        MEMORY_QUOTA,
        /** A kernel invariant broke while it ran; status 70 ({@code EX_SOFTWARE}). Never the program's fault. */
        KERNEL_ERROR,
        /** It never started: malformed, ill-typed, or not loadable; status 126. */
        NOT_RUN
    }

    public Exit {
        if (status < 0 || status > 255) throw new IllegalArgumentException("exit status " + status);
        if (how == null) throw new IllegalArgumentException("no reason");
    }

    /** A normal end with the low 8 bits of {@code value}. */
    public static Exit normal(How how, long value) { return new Exit((int) (value & 0xff), how, null); }

    /** A forced end with the status {@code how} implies. */
    public static Exit forced(How how, String message) {
        int status = switch (how) {
            case RETURNED, EXITED -> throw new IllegalArgumentException(how + " is not forced");
            case KILLED, MEMORY_QUOTA -> 137;
            case TIME_LIMIT -> 152;
            case STACK_LIMIT -> 134;
            case KERNEL_ERROR -> 70;
            case NOT_RUN -> 126;
        };
        return new Exit(status, how, message);
    }

    /** One line for the user: the message, or {@code exit status N}. */
    @Override
    public String toString() {
        return message != null ? message + " (status " + status + ")" : "exit status " + status;
    }
}
