--
-- PostgreSQL database dump
--

\restrict JDuKw70mgUlhgB4CTLs70cCTn2Fwsrm2IF8AOTahinDx7GuMFt77aLxak79Dyv4

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: cards; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.cards (
    holder text,
    brand text,
    card_number text,
    expiry text
);


--
-- Name: dependents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.dependents (
    role text,
    name text,
    relation text,
    kojin_bango text,
    birth_date text
);


--
-- Name: employees; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.employees (
    emp_no text,
    name text,
    my_number text,
    birth_date text,
    address text
);


--
-- Name: passwords; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.passwords (
    service text,
    username text,
    password text
);


--
-- Name: withholding_slip; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.withholding_slip (
    item text,
    value text
);


--
-- Data for Name: cards; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.cards (holder, brand, card_number, expiry) VALUES ('田中 陽翔', 'VISA', '4562764279873676', '10/27');
INSERT INTO public.cards (holder, brand, card_number, expiry) VALUES ('佐藤 葵', 'Mastercard', '5378-2210-9241-7984', '12/30');
INSERT INTO public.cards (holder, brand, card_number, expiry) VALUES ('佐藤 凛', 'Mastercard', '2408024920864372', '02/28');
INSERT INTO public.cards (holder, brand, card_number, expiry) VALUES ('田中 悠真', 'AMEX', '3458 809753 90864', '12/27');
INSERT INTO public.cards (holder, brand, card_number, expiry) VALUES ('伊藤 結衣', 'JCB', '3589152752534919', '03/28');
INSERT INTO public.cards (holder, brand, card_number, expiry) VALUES ('加藤 凛', 'Diners', '3691 082980 7567', '08/31');
INSERT INTO public.cards (holder, brand, card_number, expiry) VALUES ('中村 湊', 'VISA', '4861784561356918', '08/29');


--
-- Data for Name: dependents; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.dependents (role, name, relation, kojin_bango, birth_date) VALUES ('提出者', '佐藤 蓮', '本人', '523449640520', '1966-06-16');
INSERT INTO public.dependents (role, name, relation, kojin_bango, birth_date) VALUES ('扶養親族', '小林 大翔', '配偶者', '205282032172', '1983-02-12');
INSERT INTO public.dependents (role, name, relation, kojin_bango, birth_date) VALUES ('扶養親族', '伊藤 葵', '長男', '133873969083', '1963-02-20');
INSERT INTO public.dependents (role, name, relation, kojin_bango, birth_date) VALUES ('扶養親族', '高橋 悠真', '長女', '586428441502', '1961-03-24');


--
-- Data for Name: employees; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1001', '伊藤 陽翔', '442323221831', '1987-03-27', '北海道札幌市中央区北一条1-9-27');
INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1002', '小林 凛', '021476245378', '1987-11-12', '愛知県名古屋市中村区名駅6-4-12');
INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1003', '田中 結衣', '947892778245', '1993-06-09', '神奈川県横浜市西区高島8-9-20');
INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1004', '鈴木 湊', '562978393358', '2001-11-15', '愛知県名古屋市中村区名駅1-14-28');
INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1005', '渡辺 悠真', '132774264535', '2002-03-23', '福岡県福岡市博多区博多駅前4-16-7');
INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1006', '伊藤 葵', '090990599520', '1970-11-18', '東京都千代田区丸の内4-6-3');
INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1007', '伊藤 蓮', '698807518027', '1986-05-09', '福岡県福岡市博多区博多駅前2-16-17');
INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1008', '田中 大翔', '600552788878', '1962-07-17', '北海道札幌市中央区北一条3-5-9');
INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1009', '伊藤 湊', '006346935390', '1973-11-12', '愛知県名古屋市中村区名駅1-11-13');
INSERT INTO public.employees (emp_no, name, my_number, birth_date, address) VALUES ('E1010', '山本 さくら', '711090437783', '1963-05-17', '愛知県名古屋市中村区名駅3-5-28');


--
-- Data for Name: passwords; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.passwords (service, username, password) VALUES ('社内ポータル', 'user11', 'V6+4Bxeacgn#2');
INSERT INTO public.passwords (service, username, password) VALUES ('給与システム', 'user02', 'SPAKkWV7?jPd6');
INSERT INTO public.passwords (service, username, password) VALUES ('勤怠管理', 'user41', 'Ps!FzHtJ?Ema5');
INSERT INTO public.passwords (service, username, password) VALUES ('経費精算', 'user90', 'LBLwMDDQdn!M8');


--
-- Data for Name: withholding_slip; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.withholding_slip (item, value) VALUES ('支払を受ける者 氏名', '鈴木 大翔');
INSERT INTO public.withholding_slip (item, value) VALUES ('支払を受ける者 住所', '愛知県名古屋市中村区名駅7-16-13');
INSERT INTO public.withholding_slip (item, value) VALUES ('支払を受ける者の個人番号', '422740808445');
INSERT INTO public.withholding_slip (item, value) VALUES ('種別', '給料・賞与');
INSERT INTO public.withholding_slip (item, value) VALUES ('支払金額', '5,432,100');
INSERT INTO public.withholding_slip (item, value) VALUES ('源泉徴収税額', '123,400');
INSERT INTO public.withholding_slip (item, value) VALUES ('支払者 名称', '株式会社サンプル商事');
INSERT INTO public.withholding_slip (item, value) VALUES ('支払者の法人番号', '7018415629401');


--
-- PostgreSQL database dump complete
--

\unrestrict JDuKw70mgUlhgB4CTLs70cCTn2Fwsrm2IF8AOTahinDx7GuMFt77aLxak79Dyv4

