//! Refusing requests made on someone's behalf to addresses inside the
//! network: loopback, private, link-local, unique-local, CGNAT, multicast,
//! unspecified and documentation ranges. The check runs on every address a
//! name resolves to (so a public name pointing inside is refused) and on
//! every redirect's target.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Whether an address is one the public internet does not route to us.
/// IPv6 forms that carry an IPv4 address (mapped `::ffff:a.b.c.d`,
/// compatible `::a.b.c.d`, 6to4 `2002:AABB:CCDD::`, Teredo `2001:0::`,
/// NAT64 `64:ff9b::`) are judged by what they carry, or refused whole.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return internal_v4(v4);
            }
            let seg = v6.segments();
            let low = Ipv4Addr::new(
                (seg[6] >> 8) as u8,
                seg[6] as u8,
                (seg[7] >> 8) as u8,
                seg[7] as u8,
            );
            // IPv4-compatible `::a.b.c.d` (deprecated, never routed; ::1 and ::
            // are in it too).
            if seg[..6].iter().all(|s| *s == 0) {
                return true;
            }
            // 6to4: the IPv4 address after 2002:.
            if seg[0] == 0x2002 {
                let v4 = Ipv4Addr::new(
                    (seg[1] >> 8) as u8,
                    seg[1] as u8,
                    (seg[2] >> 8) as u8,
                    seg[2] as u8,
                );
                return internal_v4(v4);
            }
            // Teredo: the server's IPv4 address, and the client's, stored inverted.
            if seg[0] == 0x2001 && seg[1] == 0 {
                let server = Ipv4Addr::new(
                    (seg[2] >> 8) as u8,
                    seg[2] as u8,
                    (seg[3] >> 8) as u8,
                    seg[3] as u8,
                );
                let client = Ipv4Addr::from(!u32::from(low));
                return internal_v4(server) || internal_v4(client);
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (seg[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (seg[0] & 0xffc0) == 0xfec0 // site-local fec0::/10 (deprecated)
                || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
                || (seg[0] == 0x0064 && seg[1] == 0xff9b) // NAT64, may reach IPv4 inside
                || (seg[0] == 0x0100 && seg[1..4].iter().all(|s| *s == 0)) // discard 100::/64
        }
    }
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // CGNAT 100.64/10
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF 192.0.0/24
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking 198.18/15
        || o[0] >= 240 // reserved
}

/// `[web] allow_internal`: internal `host:port`s fetched anyway. Matched
/// on host and port: an allowed `vm:19100` allows no other port of `vm`.
#[derive(Debug, Clone, Default)]
pub(crate) struct AllowList(Vec<(String, u16)>);

impl AllowList {
    /// From `host:port` entries (checked by [`crate::Fetcher::new`]).
    pub(crate) fn new(entries: &[String]) -> AllowList {
        AllowList(
            entries
                .iter()
                .filter_map(|a| {
                    let (h, p) = a.rsplit_once(':')?;
                    let host = h.trim_start_matches('[').trim_end_matches(']');
                    Some((host.to_ascii_lowercase(), p.parse().ok()?))
                })
                .collect(),
        )
    }

    /// Whether `url`'s host and port are listed.
    pub(crate) fn allows(&self, url: &url::Url) -> bool {
        let (host, port) = host_port(url);
        self.0.iter().any(|(h, p)| *h == host && *p == port)
    }

    /// Whether `url`'s host is listed, with any port.
    fn names(&self, host: &str) -> bool {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        self.0.iter().any(|(h, _)| *h == host)
    }

    /// Why a request on someone's behalf to `url` is refused, if it is: an
    /// internal address written literally, or a host allowed on other ports
    /// only (names are checked again when resolved, see [`PublicOnly`]).
    pub(crate) fn refusal(&self, url: &url::Url) -> Option<String> {
        if self.allows(url) {
            return None;
        }
        // Named without the credentials it may carry.
        let mut shown = url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        let url = &shown;
        if let Some(ip) = literal_internal(url) {
            return Some(format!(
                "{url}: {ip} is an internal address; statuswatch does not fetch those on someone's behalf"
            ));
        }
        let (host, port) = host_port(url);
        if self.names(&host) {
            return Some(format!(
                "{url}: {host}:{port} is not in allow_internal (other ports of {host} are); statuswatch does not fetch internal addresses on someone's behalf"
            ));
        }
        None
    }
}

fn host_port(url: &url::Url) -> (String, u16) {
    (
        url.host_str()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase(),
        url.port_or_known_default().unwrap_or(0),
    )
}

/// A resolver that answers only public addresses, and fails when a name has
/// none. A name [`AllowList`] lists may answer internal ones: the resolver
/// sees no port, so every request and redirect is first checked by
/// [`AllowList::refusal`], which refuses the name's other ports.
#[derive(Debug, Clone)]
pub(crate) struct PublicOnly {
    pub allowed: AllowList,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allowed = self.allowed.names(name.as_str());
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = addrs
                .iter()
                .copied()
                .filter(|a| allowed || !is_internal(a.ip()))
                .collect();
            if public.is_empty() {
                let err: Box<dyn std::error::Error + Send + Sync> = Box::new(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!("{host} resolves only to internal addresses, which are refused"),
                ));
                return Err(err);
            }
            let it: Addrs = Box::new(public.into_iter());
            Ok(it)
        })
    }
}

/// Whether a URL's host is an internal address written literally (names are
/// checked when resolved).
pub(crate) fn literal_internal(url: &url::Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)).filter(|ip| is_internal(*ip)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)).filter(|ip| is_internal(*ip)),
        url::Host::Domain(d)
            if d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost") =>
        {
            Some(IpAddr::V6(Ipv6Addr::LOCALHOST))
        }
        url::Host::Domain(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_is_matched_on_host_and_port() {
        let a = AllowList::new(&["vm:19100".into(), "10.0.0.5:8080".into()]);
        let u = |s: &str| url::Url::parse(s).unwrap();
        assert_eq!(a.refusal(&u("http://vm:19100/status")), None);
        assert_eq!(a.refusal(&u("http://VM:19100/")), None);
        let other = a.refusal(&u("http://vm:19200/status")).unwrap();
        assert!(
            other.contains("vm:19200 is not in allow_internal"),
            "{other}"
        );
        assert_eq!(a.refusal(&u("http://10.0.0.5:8080/")), None);
        assert!(a.refusal(&u("http://10.0.0.5:8081/")).is_some());
        assert!(a.refusal(&u("http://[::127.0.0.1]/")).is_some());
        assert_eq!(a.refusal(&u("https://status.example.com/")), None);
    }

    #[tokio::test]
    async fn a_name_that_resolves_inside_is_refused() {
        let r = PublicOnly {
            allowed: AllowList::default(),
        };
        let err = r.resolve("localhost".parse().unwrap()).await.err().unwrap();
        assert!(err.to_string().contains("internal addresses"), "{err}");
        let ok = PublicOnly {
            allowed: AllowList::new(&["localhost:8080".into()]),
        };
        assert!(ok.resolve("localhost".parse().unwrap()).await.is_ok());
    }

    #[test]
    fn internal_ranges() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "224.0.0.1",
            // IPv4-compatible, 6to4 and Teredo forms of inside addresses.
            "::127.0.0.1",
            "::169.254.169.254",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            "2001:0:4136:e378:8000:63bf:80ff:fffe", // Teredo, client 127.0.0.1
            "2001:0:7f00:1::1",                     // Teredo, server 127.0.0.1
            "fec0::1",
            "64:ff9b::a00:1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "1.1.1.1",
            "140.82.112.3",
            "2606:4700::1111",
            "100.128.0.1",
            "2002:0101:0101::1",                    // 6to4 of 1.1.1.1
            "2001:0:4136:e378:8000:63bf:fefe:fefe", // Teredo, public both ends
        ] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }
}
