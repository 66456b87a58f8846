package ring0.verify;

import java.util.ArrayList;
import java.util.List;

/** A stack seen from the top: slot 0 is {@code [rsp]}; below the last slot is the stack variable {@link #tail()}. */
interface Slots {
    int size();

    /** The type of slot {@code i} from the top ({@link Type.Junk} for junk). */
    Type slot(int i);

    TVar tail();

    static Slots of(Pre.StackT s) {
        return new Slots() {
            @Override public int size() { return s.slots().size(); }
            @Override public Type slot(int i) { return s.slots().get(i); }
            @Override public TVar tail() { return s.tail(); }
        };
    }

    /** Slots {@code from} .. bottom of {@code s} as a stack type. */
    static Pre.StackT suffix(Slots s, int from) {
        List<Type> out = new ArrayList<>(s.size() - from);
        for (int i = from; i < s.size(); i++) out.add(s.slot(i));
        return new Pre.StackT(out, s.tail());
    }
}
