package dev.asyncocr.events;

import dev.asyncocr.job.CallbackUrlRefusedException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which callback URLs we send to: absolute http(s) URLs whose host resolves only to public addresses,
 * so that a client cannot make the service call into its own network (loopback, private ranges,
 * link-local and cloud metadata endpoints). Checked at submission and again before each send, as DNS
 * may have changed in between; the send then connects to the address that was checked.
 */
public final class CallbackTargets {

    static final int MAX_LENGTH = 2048;

    /** Resolves a host name; {@link InetAddress#getAllByName} outside tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public CallbackTargets(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    CallbackTargets(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /**
     * At submission: the URL must parse, and its host must resolve, to public addresses only.
     *
     * @return the URL, parsed
     * @throws CallbackUrlRefusedException why the URL is refused
     */
    public URI check(String url) {
        URI uri = parse(url);
        try {
            address(uri);
        } catch (UnknownHostException e) {
            throw new CallbackUrlRefusedException("The callback host '" + host(uri) + "' does not resolve");
        }
        return uri;
    }

    /**
     * Before a send: the address to connect to, checked now. The connection must go to this address and
     * not to a second lookup's answer, which could differ (DNS rebinding).
     *
     * @throws UnknownHostException the host does not resolve: the send fails and is retried like any connection failure
     * @throws CallbackUrlRefusedException the host resolves to a non-public address
     */
    InetAddress address(URI uri) throws UnknownHostException {
        String host = host(uri);
        InetAddress[] addresses = resolver.resolve(host);
        if (!allowPrivate) {
            Arrays.stream(addresses).filter(a -> !isPublic(a)).findFirst().ifPresent(address -> {
                throw new CallbackUrlRefusedException("The callback host '" + host + "' resolves to "
                        + address.getHostAddress() + ", a loopback, private, link-local or otherwise non-public "
                        + "address; such targets are refused (ocr.callback.allow-private-targets)");
            });
        }
        return addresses[0];
    }

    /** The host without the brackets of an IPv6 literal. */
    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static URI parse(String url) {
        String why = "must be an absolute http or https URL of at most " + MAX_LENGTH + " characters";
        if (url.length() > MAX_LENGTH) {
            throw new CallbackUrlRefusedException("The callback URL has " + url.length() + " characters; it " + why);
        }
        try {
            URI uri = new URI(url);
            String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
            if (uri.getHost() != null && (scheme.equals("http") || scheme.equals("https"))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // answered below
        }
        throw new CallbackUrlRefusedException("The callback URL '" + url + "' " + why);
    }

    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0                                      // "this network"
                    && !(first == 100 && (second & 0xc0) == 64)    // 100.64/10 shared (carrier NAT; Alibaba metadata)
                    && !(first == 192 && second == 0 && b[2] == 0) // 192.0.0/24 protocol assignments (Oracle metadata)
                    && !(first == 198 && (second & 0xfe) == 18)    // 198.18/15 benchmarking
                    && first < 240;                                // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false; // fc00::/7 unique local (AWS metadata fd00:ec2::254)
            }
            if (embedsIpv4(b)) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // four bytes are always an address
                }
            }
        }
        return true;
    }

    /** ::a.b.c.d (compatible) and 64:ff9b::a.b.c.d (NAT64) reach the IPv4 address they carry. */
    private static boolean embedsIpv4(byte[] b) {
        boolean zeros = true;
        for (int i = 0; i < 12; i++) {
            zeros &= b[i] == 0;
        }
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        return zeros || nat64;
    }
}
