package ring0.asm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of {@code .data} as they are emitted, and the offsets of its
 * labels. A label names the first byte of the next item after it, so a label
 * before an 8-aligned array points at the array's length word, after padding.
 */
final class DataBuilder {
    /** Largest {@code .data} section accepted, in bytes. */
    static final int MAX_SIZE = 64 << 20;

    private byte[] buf = new byte[256];
    private int size;
    private final List<String> pending = new ArrayList<>();
    private final Map<String, Integer> labels = new LinkedHashMap<>();

    /** Defines label {@code name} at the next item. */
    void label(String name) {
        pending.add(name);
    }

    /** True if {@code n} more bytes, after up to 15 bytes of padding, stay within {@link #MAX_SIZE}. */
    boolean room(long n) {
        return n >= 0 && n <= MAX_SIZE - size - 15L;
    }

    /** Pads with zero bytes to a multiple of {@code n} (a power of two). Pending labels stay pending. */
    void align(int n) {
        zeros((n - (size & (n - 1))) & (n - 1));
    }

    /** Binds pending labels here, the start of the item about to be emitted; returns them in definition order. */
    List<String> bind() {
        List<String> bound = List.copyOf(pending);
        for (String p : pending) labels.put(p, size);
        pending.clear();
        return bound;
    }

    void bytes(byte[] b) {
        grow(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    void zeros(long n) {
        grow(n);
        size += (int) n;
    }

    /** Writes the low {@code n} bytes of {@code v}, little-endian. */
    void little(long v, int n) {
        grow(n);
        for (int k = 0; k < n; k++) buf[size++] = (byte) (v >>> (8 * k));
    }

    private void grow(long n) {
        long need = size + n;
        if (need > buf.length) buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(2L * buf.length, MAX_SIZE + 16L)));
    }

    /** Binds labels still pending to the end of the section and returns the contents. */
    byte[] finish() {
        bind();
        return Arrays.copyOf(buf, size);
    }

    /** Offsets of the labels (relative to the start of {@code .data}), in definition order. */
    Map<String, Integer> labels() {
        return labels;
    }

    int size() {
        return size;
    }
}
