-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: hr
-- ------------------------------------------------------
-- Server version	8.0.36

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table `employees`
--

DROP TABLE IF EXISTS `employees`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `employees` (
  `emp_no` varchar(255) DEFAULT NULL,
  `name` varchar(255) DEFAULT NULL,
  `my_number` varchar(255) DEFAULT NULL,
  `birth_date` varchar(255) DEFAULT NULL,
  `address` varchar(255) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `employees`
--

LOCK TABLES `employees` WRITE;
/*!40000 ALTER TABLE `employees` DISABLE KEYS */;
INSERT INTO `employees` VALUES ('E1001','伊藤 陽翔','442323221831','1987-03-27','北海道札幌市中央区北一条1-9-27'),('E1002','小林 凛','021476245378','1987-11-12','愛知県名古屋市中村区名駅6-4-12'),('E1003','田中 結衣','947892778245','1993-06-09','神奈川県横浜市西区高島8-9-20'),('E1004','鈴木 湊','562978393358','2001-11-15','愛知県名古屋市中村区名駅1-14-28'),('E1005','渡辺 悠真','132774264535','2002-03-23','福岡県福岡市博多区博多駅前4-16-7'),('E1006','伊藤 葵','090990599520','1970-11-18','東京都千代田区丸の内4-6-3'),('E1007','伊藤 蓮','698807518027','1986-05-09','福岡県福岡市博多区博多駅前2-16-17'),('E1008','田中 大翔','600552788878','1962-07-17','北海道札幌市中央区北一条3-5-9'),('E1009','伊藤 湊','006346935390','1973-11-12','愛知県名古屋市中村区名駅1-11-13'),('E1010','山本 さくら','711090437783','1963-05-17','愛知県名古屋市中村区名駅3-5-28');
/*!40000 ALTER TABLE `employees` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `dependents`
--

DROP TABLE IF EXISTS `dependents`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `dependents` (
  `role` varchar(255) DEFAULT NULL,
  `name` varchar(255) DEFAULT NULL,
  `relation` varchar(255) DEFAULT NULL,
  `kojin_bango` varchar(255) DEFAULT NULL,
  `birth_date` varchar(255) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `dependents`
--

LOCK TABLES `dependents` WRITE;
/*!40000 ALTER TABLE `dependents` DISABLE KEYS */;
INSERT INTO `dependents` VALUES ('提出者','佐藤 蓮','本人','523449640520','1966-06-16'),('扶養親族','小林 大翔','配偶者','205282032172','1983-02-12'),('扶養親族','伊藤 葵','長男','133873969083','1963-02-20'),('扶養親族','高橋 悠真','長女','586428441502','1961-03-24');
/*!40000 ALTER TABLE `dependents` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `withholding_slip`
--

DROP TABLE IF EXISTS `withholding_slip`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `withholding_slip` (
  `item` varchar(255) DEFAULT NULL,
  `value` varchar(255) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `withholding_slip`
--

LOCK TABLES `withholding_slip` WRITE;
/*!40000 ALTER TABLE `withholding_slip` DISABLE KEYS */;
INSERT INTO `withholding_slip` VALUES ('支払を受ける者 氏名','鈴木 大翔'),('支払を受ける者 住所','愛知県名古屋市中村区名駅7-16-13'),('支払を受ける者の個人番号','422740808445'),('種別','給料・賞与'),('支払金額','5,432,100'),('源泉徴収税額','123,400'),('支払者 名称','株式会社サンプル商事'),('支払者の法人番号','7018415629401');
/*!40000 ALTER TABLE `withholding_slip` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `cards`
--

DROP TABLE IF EXISTS `cards`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `cards` (
  `holder` varchar(255) DEFAULT NULL,
  `brand` varchar(255) DEFAULT NULL,
  `card_number` varchar(255) DEFAULT NULL,
  `expiry` varchar(255) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `cards`
--

LOCK TABLES `cards` WRITE;
/*!40000 ALTER TABLE `cards` DISABLE KEYS */;
INSERT INTO `cards` VALUES ('田中 陽翔','VISA','4562764279873676','10/27'),('佐藤 葵','Mastercard','5378-2210-9241-7984','12/30'),('佐藤 凛','Mastercard','2408024920864372','02/28'),('田中 悠真','AMEX','3458 809753 90864','12/27'),('伊藤 結衣','JCB','3589152752534919','03/28'),('加藤 凛','Diners','3691 082980 7567','08/31'),('中村 湊','VISA','4861784561356918','08/29');
/*!40000 ALTER TABLE `cards` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `passwords`
--

DROP TABLE IF EXISTS `passwords`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `passwords` (
  `service` varchar(255) DEFAULT NULL,
  `username` varchar(255) DEFAULT NULL,
  `password` varchar(255) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `passwords`
--

LOCK TABLES `passwords` WRITE;
/*!40000 ALTER TABLE `passwords` DISABLE KEYS */;
INSERT INTO `passwords` VALUES ('社内ポータル','user11','V6+4Bxeacgn#2'),('給与システム','user02','SPAKkWV7?jPd6'),('勤怠管理','user41','Ps!FzHtJ?Ema5'),('経費精算','user90','LBLwMDDQdn!M8');
/*!40000 ALTER TABLE `passwords` ENABLE KEYS */;
UNLOCK TABLES;

/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;

-- Dump completed on 2026-11-30 12:00:00
