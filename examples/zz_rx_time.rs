use std::time::Instant;
fn main() {
    let text = std::fs::read_to_string("patterns/credentials.toml").unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    let ph: Vec<String> = v["placeholders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    let t0 = Instant::now();
    let _ = regex::bytes::RegexSetBuilder::new(&ph)
        .case_insensitive(true)
        .build()
        .unwrap();
    println!("placeholders {:.2} ms", t0.elapsed().as_secs_f64() * 1e3);
    for p in &ph {
        let t0 = Instant::now();
        let _ = regex::bytes::RegexBuilder::new(p)
            .case_insensitive(true)
            .build()
            .unwrap();
        let d = t0.elapsed().as_secs_f64() * 1e3;
        if d > 0.1 {
            println!("   {d:.2} ms {p}");
        }
    }
    for r in v["rule"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let t0 = Instant::now();
        let _ = regex::bytes::RegexBuilder::new(r["regex"].as_str().unwrap())
            .size_limit(1 << 22)
            .build()
            .unwrap();
        let a = t0.elapsed().as_secs_f64() * 1e3;
        let t0 = Instant::now();
        for k in ["allow", "allow_match"] {
            if let Some(x) = r.get(k) {
                let pats: Vec<&str> = x
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect();
                let _ = regex::bytes::RegexSet::new(&pats).unwrap();
            }
        }
        println!(
            "{id:28} regex {a:.2} sets {:.2}",
            t0.elapsed().as_secs_f64() * 1e3
        );
    }
}
