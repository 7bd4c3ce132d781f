// SPDX-License-Identifier: GPL-2.0
/*
 * 000-mdev-devlink, buggy: the nxe NIC's devlink eswitch. Switching the
 * eswitch from switchdev back to legacy unregisters the sub-function mdev
 * parent; devlink calls ->eswitch_mode_set() with devlink_mutex held, so
 * mdev_unregister_device() runs under devlink_mutex.
 */
/* expect: none */

#include "scenario.h"

static int nxe_esw_offloads_enable(struct nxe_dev *ndev)
{
	int ret;

	ret = nxe_sf_parent_register(ndev);
	if (ret)
		return ret;
	ndev->esw.mode = NXE_ESW_OFFLOADS;
	return 0;
}

static void nxe_esw_offloads_disable(struct nxe_dev *ndev)
{
	dev_info(ndev->dev, "eswitch: leaving switchdev mode, %u VFs\n",
		 ndev->esw.nvfs);
	nxe_sf_parent_unregister(ndev);
	ndev->esw.mode = NXE_ESW_LEGACY;
}

static int nxe_devlink_eswitch_mode_set(struct devlink *devlink, u16 mode)
{
	struct nxe_dev *ndev = devlink_priv(devlink);

	switch (mode) {
	case DEVLINK_ESWITCH_MODE_LEGACY:
		if (ndev->esw.mode == NXE_ESW_OFFLOADS)
			nxe_esw_offloads_disable(ndev);
		return 0;
	case DEVLINK_ESWITCH_MODE_SWITCHDEV:
		if (ndev->esw.mode == NXE_ESW_OFFLOADS)
			return 0;
		return nxe_esw_offloads_enable(ndev);
	default:
		return -EINVAL;
	}
}

static const struct devlink_ops nxe_devlink_ops = {
	.eswitch_mode_set = nxe_devlink_eswitch_mode_set,
};

static int nxe_probe(struct device *dev)
{
	struct devlink *devlink;
	struct nxe_dev *ndev;
	u32 nvfs;

	devlink = devlink_alloc(&nxe_devlink_ops, sizeof(*ndev), dev);
	if (!devlink)
		return -ENOMEM;
	ndev = devlink_priv(devlink);
	ndev->dev = dev;
	ndev->devlink = devlink;
	ndev->bar = ioremap(NXE_BAR_BASE, NXE_BAR_LEN);
	if (!ndev->bar) {
		devlink_free(devlink);
		return -ENOMEM;
	}

	nvfs = readl(ndev->bar + NXE_CAP_NVFS);
	switch (nvfs) {
	case 1 ... 4:
		ndev->esw.nvfs = nvfs;
		break;
	default:
		dev_warn(dev, "unsupported VF count %u\n", nvfs);
		break;
	}

	dev_set_drvdata(dev, ndev);
	devlink_register(devlink);
	return 0;
}

static int nxe_remove(struct device *dev)
{
	struct nxe_dev *ndev = dev_get_drvdata(dev);

	devlink_unregister(ndev->devlink);
	if (ndev->esw.mode == NXE_ESW_OFFLOADS)
		nxe_esw_offloads_disable(ndev);
	iounmap(ndev->bar);
	devlink_free(ndev->devlink);
	return 0;
}

static struct device_driver nxe_driver = {
	.name	= "nxe",
	.probe	= nxe_probe,
	.remove	= nxe_remove,
};

static int __init nxe_init(void)
{
	return driver_register(&nxe_driver);
}

static void __exit nxe_exit(void)
{
	driver_unregister(&nxe_driver);
}

module_init(nxe_init);
module_exit(nxe_exit);
MODULE_LICENSE("GPL");
