package ring0.kernel.fs;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Converts between a program's file names (bytes) and the host's
 * {@link java.nio.file.Path} strings. The JDK turns a path string into bytes
 * with the platform's file-name charset ({@code sun.jnu.encoding}), so a name
 * is accepted only if it decodes strictly and encodes back to exactly the same
 * bytes: two different byte names must never reach the same host file. A name
 * the host charset cannot spell (for example a lone {@code 0xff} under UTF-8)
 * fails with {@code EILSEQ}.
 */
final class HostNames {
    private final Charset charset;
    /** ASCII bytes decode to themselves and back (UTF-8 and ISO-8859-1 hosts): the common case needs no coder. */
    private final boolean asciiIsExact;

    HostNames(Charset charset) {
        this.charset = charset;
        this.asciiIsExact = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.ISO_8859_1)
                || charset.equals(StandardCharsets.US_ASCII);
    }

    /** The charset the JDK uses for file names on this host. */
    static HostNames platform() {
        String jnu = System.getProperty("sun.jnu.encoding");
        Charset cs;
        try {
            cs = jnu == null ? StandardCharsets.UTF_8 : Charset.forName(jnu);
        } catch (IllegalArgumentException e) {
            cs = StandardCharsets.UTF_8;
        }
        return new HostNames(cs);
    }

    /** The host's file-name charset. */
    Charset charset() { return charset; }

    /** Whether every ASCII name is spelled by the host as its own bytes (no {@link #decode} needed). */
    boolean asciiIsExact() { return asciiIsExact; }

    /** The host string for one component, which never contains {@code /} or NUL. */
    String decode(byte[] name) throws FsError {
        if (asciiIsExact && isAscii(name)) return new String(name, StandardCharsets.US_ASCII);
        CharsetDecoder dec = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String s;
        try {
            s = dec.decode(ByteBuffer.wrap(name)).toString();
        } catch (CharacterCodingException e) {
            throw new FsError(Errno.EILSEQ);
        }
        if (!Arrays.equals(encodeStrict(s), name)) throw new FsError(Errno.EILSEQ);
        return s;
    }

    private static boolean isAscii(byte[] name) {
        for (byte b : name) if (b < 0) return false;
        return true;
    }

    /** The bytes of a host string (symbolic link targets); unmappable characters are replaced. */
    byte[] encode(String s) {
        return s.getBytes(charset);
    }

    private byte[] encodeStrict(String s) throws FsError {
        try {
            ByteBuffer b = charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new FsError(Errno.EILSEQ);
        }
    }
}
