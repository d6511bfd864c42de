//! Lines that are a page's furniture, greetings or site name rather than a report, and the words of an incident.

use super::*;

/// Lines of a page's furniture in the languages read: a link to skip to the
/// content, signing in, contact, a "last checked" note, a greeting.
pub(crate) fn furniture(text: &str) -> bool {
    // Every entry is a whole short line or a line's start.
    let l = key(head(text.trim(), 96));
    let l = l.trim_end_matches([':', '…']).trim();
    const STARTS: &[&str] = &[
        "skip to",
        "skip navigation",
        "skip to main content",
        "jump to",
        "zum inhalt",
        "zum hauptinhalt",
        "direkt zum inhalt",
        "aller au contenu",
        "passer au contenu",
        "aller au menu",
        "saltar al contenido",
        "ir al contenido",
        "saltar a",
        "ir para o conteúdo",
        "pular para o conteúdo",
        "ir para conteúdo",
        "vai al contenuto",
        "passa al contenuto",
        "salta al contenuto",
        "naar inhoud",
        "ga naar inhoud",
        "direct naar",
        "przejdź do",
        "gezintiyi atla",
        "içeriğe geç",
        "ana içeriğe",
        "hoppa till",
        "gå til indhold",
        "メインコンテンツへ",
        "本文へ",
        "コンテンツへスキップ",
        "跳到主要内容",
        "跳至主要內容",
        "跳转到",
        "본문 바로가기",
        "본문으로",
        "last checked",
        "last updated",
        "last update:",
        "zuletzt aktualisiert",
        "dernière mise à jour",
        "última actualización",
        "última atualização",
        "ultimo aggiornamento",
        "laatst bijgewerkt",
        "son güncelleme",
        "最終更新",
        "最后更新",
        "cookie",
        "we use cookies",
        "this website uses cookies",
        "accept all",
        "©",
        "copyright",
        "all rights reserved",
        "powered by",
        "sign in",
        "sign up",
        "log in",
        "anmelden",
        "se connecter",
        "iniciar sesión",
        "entrar",
        "accedi",
        "inloggen",
        "zaloguj",
        "giriş yap",
        "ログイン",
        "登录",
        "로그인",
    ];
    const EXACT: &[&str] = &[
        "get in touch",
        "contact us",
        "contact",
        "kontakt",
        "contacto",
        "contato",
        "contatti",
        "iletişim",
        "menu",
        "main menu",
        "navigation",
        "toggle navigation",
        "home",
        "search",
        "help",
        "support",
        "docs",
        "documentation",
        "blog",
        "pricing",
        "english",
        "deutsch",
        "français",
        "español",
        "português",
        "italiano",
        "nederlands",
        "polski",
        "türkçe",
        "日本語",
        "한국어",
        "中文",
        "简体中文",
        "繁體中文",
        "障害情報",
        "お知らせ",
        "メンテナンス情報",
        "障害・メンテナンス情報",
        "공지사항",
        "故障公告",
        "privacy policy",
        "terms of service",
        "terms",
        "privacy",
        "impressum",
        "datenschutz",
    ];
    STARTS.iter().any(|s| l.starts_with(s)) || EXACT.contains(&l) || greeting(text)
}

/// Whether a line speaks of an incident or a maintenance, in the
/// languages read (`outage`, `Störung`, `panne`, `障害`): what an
/// incident's title says and a site's name or tagline does not.
pub(crate) fn incident_words(text: &str) -> bool {
    let l = key(text);
    const STEMS: &[&str] = &[
        "outage",
        "down",
        "degrad",
        "error",
        "fail",
        "issue",
        "problem",
        "incident",
        "disruption",
        "interruption",
        "unavailab",
        "delay",
        "latenc",
        "slow",
        "maintenance",
        "upgrade",
        "migration",
        "connectivity",
        "elevated",
        "partial",
        "investigat",
        "resolved",
        "impact",
        "unable",
        "cannot",
        "can't",
        "timeout",
        "time out",
        "packet loss",
        "performance",
        "not working",
        "broken",
        "emergency",
        "planned",
        "scheduled",
        "offline",
        "störung",
        "ausfall",
        "wartung",
        "beeinträchtig",
        "fehler",
        "verzögerung",
        "unterbrechung",
        "panne",
        "perturbation",
        "dégradation",
        "erreur",
        "lenteur",
        "interrupción",
        "incidencia",
        "incidente",
        "mantenimiento",
        "caída",
        "falla",
        "fallo",
        "degradación",
        "lentitud",
        "instabilidade",
        "indisponibilidade",
        "falha",
        "manutenção",
        "lentidão",
        "erro",
        "disservizio",
        "guasto",
        "manutenzione",
        "interruzione",
        "rallentament",
        "errore",
        "storing",
        "onderhoud",
        "verstoring",
        "problemen",
        "fout",
        "vertraging",
        "awaria",
        "przerwa",
        "konserwacj",
        "prace serwisowe",
        "błąd",
        "utrudnieni",
        "kesinti",
        "arıza",
        "bakım",
        "sorun",
        "hata",
        "yavaş",
        "障害",
        "メンテナンス",
        "不具合",
        "遅延",
        "停止",
        "エラー",
        "장애",
        "점검",
        "지연",
        "오류",
        "故障",
        "异常",
        "異常",
        "维护",
        "維護",
        "中断",
        "中斷",
        "延迟",
        "错误",
    ];
    // A stem opens a word (`down`, not `IsItDown`); CJK writes no spaces.
    let words: Vec<&str> = l
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    STEMS.iter().any(|s| {
        if s.chars().next().is_some_and(|c| c.is_ascii()) {
            if s.contains(' ') {
                l.contains(s)
            } else {
                words.iter().any(|w| w.starts_with(s))
            }
        } else {
            l.contains(s)
        }
    })
}

/// `Dear Customer,`, `Liebe Kundinnen und Kunden,`, `Bonjour,`: a letter's
/// greeting, never a title.
pub(crate) fn greeting(text: &str) -> bool {
    let t = text.trim();
    if !(t.ends_with(',') || t.ends_with(':') || t.ends_with('!'))
        || t.split_whitespace().count() > 6
    {
        return false;
    }
    let l = key(t);
    const OPENERS: &[&str] = &[
        "dear",
        "hello",
        "hi",
        "greetings",
        "to all",
        "liebe",
        "lieber",
        "sehr geehrte",
        "hallo",
        "guten tag",
        "cher",
        "chère",
        "chers",
        "bonjour",
        "madame",
        "estimado",
        "estimada",
        "estimados",
        "hola",
        "prezado",
        "prezada",
        "prezados",
        "caro",
        "cara",
        "cari",
        "gentile",
        "gentili",
        "buongiorno",
        "beste",
        "geachte",
        "szanowni",
        "szanowny",
        "drodzy",
        "değerli",
        "sayın",
        "merhaba",
        "kära",
        "hej",
        "kære",
    ];
    OPENERS
        .iter()
        .any(|o| l == *o || l.starts_with(&format!("{o} ")) || l.starts_with(&format!("{o},")))
}

/// `Acme Status`, `Acme Statusseite`, `Google Cloud Status Dashboard`,
/// `Service Health`: the name of a status site, not of an incident; the
/// vendor's name where there is one before it.
pub(crate) fn site_name(text: &str) -> Option<Option<String>> {
    let t = text.trim();
    let lower = key(t);
    const ENDS: &[&str] = &[
        " status history",
        " incident history",
        " service health",
        " status dashboard",
        " service health dashboard",
        " status page",
        " statuspage",
        " system status",
        " service status",
        " platform status",
        " statusseite",
        " status-seite",
        " systemstatus",
        " état des services",
        " estado del servicio",
        " status dos serviços",
        " stato dei servizi",
        " durum sayfası",
        " 障害情報",
        " 障害・メンテナンス情報",
        " ステータス",
        " 服务状态",
        " 服務狀態",
        " 서비스 상태",
        " status",
    ];
    for e in ENDS {
        if lower.ends_with(e) {
            let name = t[..t.len() - e.len()].trim();
            let words = name.split_whitespace().count();
            if words <= 3 {
                return Some((!name.is_empty()).then(|| name.to_string()));
            }
        }
    }
    const STARTS: &[&str] = &[
        "status usług ",
        "état des services ",
        "statut des services ",
        "estado de los servicios de ",
        "estado del servicio de ",
        "status dos serviços ",
        "stato dei servizi ",
        "status van ",
        "status von ",
    ];
    for p in STARTS {
        if lower.starts_with(p) {
            let name = t[p.len()..].trim();
            if (1..=3).contains(&name.split_whitespace().count()) {
                return Some(Some(name.to_string()));
            }
        }
    }
    const ALONE: &[&str] = &[
        "status dashboard",
        "service health",
        "service health dashboard",
        "system status",
        "platform status",
        "status page",
        "statusseite",
        "durum sayfası",
        "état des services",
    ];
    ALONE.contains(&lower.as_str()).then_some(None)
}
